FROM ubuntu:22.04

RUN useradd --create-home --uid 1001 nonroot

USER 1001
