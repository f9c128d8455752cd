"""container-structure-test (schemaVersion 2.0.0): a strict parser and a docker SDK runner."""
