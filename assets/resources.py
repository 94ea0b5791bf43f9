"""Resources: the warehouse file, the sources file and the analysis settings."""


from dagster import ConfigurableResource
from pydantic import Field

from pipeline.fetch import BlobStore, default_blob_dir
from pipeline.paths import default_sources_file, default_warehouse
from pipeline.sources_file import SourceSpec, load_sources, source_by_name
from pipeline.storage import Warehouse

DEFAULT_COCHAIRS = ["RUS", "FRA", "USA"]


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file (default data/warehouse.duckdb, or $DEMARCHE_DB), and the
    blob store of fetched web pages (default blobs/ beside it, or $DEMARCHE_BLOBS)."""

    path: str = Field(default_factory=lambda: str(default_warehouse()))
    lock_timeout_s: float = 300.0
    blobs_path: str | None = None

    def get(self) -> Warehouse:
        return Warehouse(self.path, lock_timeout_s=self.lock_timeout_s)

    def blobs(self) -> BlobStore:
        return BlobStore(self.blobs_path or default_blob_dir(self.path))


class SourcesResource(ConfigurableResource):
    """The sources file (default data/sources.yaml, or $DEMARCHE_SOURCES)."""

    path: str = Field(default_factory=lambda: str(default_sources_file()))

    def specs(self) -> list[SourceSpec]:
        return load_sources(self.path)

    def spec(self, name: str) -> SourceSpec:
        return source_by_name(self.specs(), name)


class AnalysisSettings(ConfigurableResource):
    """Settings of the marts: which countries are the OSCE Minsk Group co-chairs."""

    cochairs: list[str] = Field(default_factory=lambda: list(DEFAULT_COCHAIRS))
