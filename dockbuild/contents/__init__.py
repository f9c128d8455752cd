"""What is inside each built image: its packages, as an SBOM, and what a change did to them."""
