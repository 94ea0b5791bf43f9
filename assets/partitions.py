"""One dynamic partition per source in the sources file: adding a source adds a partition,
and backfilling that partition touches nothing else."""

from dagster import DynamicPartitionsDefinition

sources_partitions = DynamicPartitionsDefinition(name="sources")
