"""What the pipeline reads: the manifest, Dockerfiles, .dockerignore and the build context."""
