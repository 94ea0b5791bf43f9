"""Resources: the warehouse file, the sources file and the analysis settings."""


import os
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field, PrivateAttr, field_validator

from pipeline.fetch import BlobStore, default_blob_dir
from pipeline.corrections.corrections_file import LoadedCorrections, file_sha256, read_corrections
from pipeline.paths import default_corrections_file, default_sources_file, default_warehouse
from pipeline.sources_file import SourceSpec, load_sources, source_by_name
from pipeline.storage import ParquetStore, PartitionStore, Warehouse

STORE_ENV = "DEMARCHE_STORE"
STORES = ("duckdb", "parquet")


def store_kind() -> str:
    """Where per-source runs write: 'duckdb' (the warehouse file, one writer at a time) or
    'parquet' (per-partition files, any number of writers; see docs/scaling.md)."""
    kind = os.environ.get(STORE_ENV, "duckdb").strip().lower()
    if kind not in STORES:
        raise ValueError(f"{STORE_ENV}={kind!r}: expected one of {', '.join(STORES)}")
    return kind

DEFAULT_COCHAIRS = ["RUS", "FRA", "USA"]


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file (default data/warehouse.duckdb, or $DEMARCHE_DB), where the
    per-source runs write unless `store` is 'parquet' (then into per-partition Parquet files
    under `parts_path`, default <warehouse>.parts/ beside it, loaded into the warehouse by the
    incidents asset), and the blob store of fetched web pages (default blobs/ beside it, or
    $DEMARCHE_BLOBS)."""

    path: str = Field(default_factory=lambda: str(default_warehouse()))
    lock_timeout_s: float = 300.0
    blobs_path: str | None = None
    store: str = Field(default_factory=store_kind)
    parts_path: str | None = None

    @field_validator("store")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if value not in STORES:
            raise ValueError(f"store {value!r}: expected one of {', '.join(STORES)}")
        return value

    # One Warehouse object per resource, i.e. per run (per step process with the multiprocess
    # executor): it checks the schema on its first write connection, once, not in every step.
    _warehouse: Warehouse | None = PrivateAttr(default=None)

    def get(self) -> Warehouse:
        if self._warehouse is None:
            self._warehouse = Warehouse(self.path, lock_timeout_s=self.lock_timeout_s)
        return self._warehouse

    def chart_cache_dir(self) -> Path:
        """Where the marts' charts are kept between runs (pipeline/chart_cache.py)."""
        return Path(self.path).parent / ".chart_cache"

    def partitions(self) -> PartitionStore:
        """Where the per-source assets read and write their tables."""
        if self.store == "parquet":
            return ParquetStore(self.parts_path or Path(self.path).with_suffix(".parts"))
        return self.get()

    def blobs(self) -> BlobStore:
        return BlobStore(self.blobs_path or default_blob_dir(self.path))


class SourcesResource(ConfigurableResource):
    """The sources file (default data/sources.yaml, or $DEMARCHE_SOURCES)."""

    path: str = Field(default_factory=lambda: str(default_sources_file()))

    def specs(self) -> list[SourceSpec]:
        return load_sources(self.path)

    def spec(self, name: str) -> SourceSpec:
        return source_by_name(self.specs(), name)


class CorrectionsResource(ConfigurableResource):
    """The analysts' corrections file (default data/corrections.yaml, or $DEMARCHE_CORRECTIONS)."""

    path: str = Field(default_factory=lambda: str(default_corrections_file()))

    def sha256(self) -> str:
        return file_sha256(self.path)

    def load(self, last_good_text: str | None) -> LoadedCorrections:
        return read_corrections(self.path, last_good_text)


class AnalysisSettings(ConfigurableResource):
    """Settings of the marts: which countries are the OSCE Minsk Group co-chairs."""

    cochairs: list[str] = Field(default_factory=lambda: list(DEFAULT_COCHAIRS))
