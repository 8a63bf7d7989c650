"""What every HTTP request passes through: request ids and access logs, security headers, rate
limits, the body-size limit, CORS and metrics."""
