"""Writing output/: staging, the atomic swap, the spare tree and recovery after a killed build."""
