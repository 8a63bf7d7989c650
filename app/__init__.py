"""chaindock: industrial-chain upstream/downstream matchmaking."""
