"""Stage 2: the root image, the wheelhouse and the builds, base first."""
