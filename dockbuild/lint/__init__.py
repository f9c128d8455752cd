"""Stage 1: hadolint plus the structural policy, on the Dockerfiles alone."""
