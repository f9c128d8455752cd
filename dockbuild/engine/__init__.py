"""The one door to the Docker engine: start it, ask it, tag in it, reach registries."""
