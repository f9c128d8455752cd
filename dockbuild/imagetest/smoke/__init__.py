"""Smoke tests: each service runs as shipped against local S3/SQS (moto) and an SMTP sink."""
