"""Stage 3: structure tests, manifest checks and smoke tests of built images."""
