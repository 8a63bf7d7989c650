"""Chain analytics: how well a region's supply covers a chain's demand, weak and stuck-neck links,
whom to attract, the local share of orders over time, and single-source risk."""
