"""Raw bytes -> a clean article, or a rejection with a reason."""

from pipeline.cleaning.clean import CleanArticle, Rejection, clean_document

__all__ = ["CleanArticle", "Rejection", "clean_document"]
