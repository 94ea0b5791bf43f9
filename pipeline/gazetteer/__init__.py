"""Which words of a text name a state: the gazetteer's tables (data/gazetteer/*.tsv) and the
officials an article itself introduces by office ("Ruritanian President Ann Vell")."""

from pipeline.gazetteer.tables import Entity, Gazetteer, load_gazetteer, load_groups, load_protecting_powers

__all__ = ["Entity", "Gazetteer", "load_gazetteer", "load_groups", "load_protecting_powers"]
