"""Dagster wrappers around the domain code in pipeline/: partitions, resources, assets,
checks, jobs, the schedule and sensors. Definitions live in assets.definitions."""
