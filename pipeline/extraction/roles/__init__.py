"""Who protested to whom, read from the grammar of the trigger's sentence (syntax.py).

resolve_roles sends each trigger to the rules of its kind, one module each:

  summons.py      the summoned diplomat's country is the target, the one who summons the actor;
  notes.py        a protest note, or a protest named as a thing: its giver and receiver;
  statements.py   a verb of protest: the subject protests, the object or what it is about is
                  the target;
  evaluations.py  "called the decision regrettable", "X is unacceptable": the judged thing's
                  state is the target, the one who judges (or speaks) the actor.

Their shared rules: who speaks (speakers.py) and which states a phrase names (phrases.py);
result.py holds what they find. Rules stay only where grammar cannot decide: who "it" or "the
ministry" is (speakers.py), the article's other party for "this act" (phrases.py).
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.extraction import cues
from pipeline.extraction.article import Article
from pipeline.extraction.roles.evaluations import Evaluation, amounts_to
from pipeline.extraction.roles.notes import RECEIVED, Note
from pipeline.extraction.roles.result import Roles
from pipeline.extraction.roles.speakers import Resolver
from pipeline.extraction.roles.statements import Statement, the_cause
from pipeline.extraction.roles.summons import Summons
from pipeline.extraction.sentences import Sentence
from pipeline.extraction.syntax import Parsed, governing_verb, subject_of
from pipeline.gazetteer import load_protecting_powers

__all__ = ["Roles", "resolve_roles", "subject_state", "the_cause"]


def resolve_roles(article: Article, parsed: Parsed, sentence: Sentence, key,
                  rule: str, event_type: str, voice: str) -> Roles | None:
    """Actor, target and diplomat of the trigger whose head word in the parse is key (Parsed.key_token)."""
    if key.tag_.startswith("VB") and (found := mutual(parsed, key, rule)) is not None:
        return found
    if event_type == "summon":
        return represented(article, sentence, Summons(article, parsed, sentence).roles(key))
    if rule == "statement_concern" and key.lower_ in cues.FEELINGS:
        return Statement(article, parsed, sentence).concerned(key)
    if voice == "stimulus":
        if key.tag_.startswith("NN") and key.dep_ not in ("attr", "oprd", "appos", "dobj") and not amounts_to(key):
            return None  # "X is a hostile act", "X committed hostile acts": what X is or did, not a motive
        return Evaluation(article, parsed, sentence).roles(key)
    if key.tag_.startswith("NN"):
        if rule in cues.VERB_ONLY and not (key.dep_ == "dobj" and governing_verb(key).lower_.startswith(cues.CONVEYING)):
            # "condemn", "accuse" read as a noun: a headline the parser could not read (but "issued a
            # strong rebuke to X" is a noun that a verb conveys, like a protest)
            return None
        if rule == "statement_protest" and not governing_verb(key).lower_.startswith(cues.CONVEYING):
            return None  # "expelled X in protest at", "mass protests against": a motive, a street protest
        return Note(article, parsed, sentence).roles(key)
    if key.tag_.startswith("JJ"):
        if rule in cues.VERB_ONLY and key.dep_ == "amod":
            return None  # "the denounced decision", "the criticised law": what others protested, not a protest here
        return Evaluation(article, parsed, sentence).roles(key)
    received = next((c for c in key.children if c.dep_ == "dobj"), None) if key.lower_.startswith("receiv") else None
    if rule == "note_lodged" and received is not None:  # "X received a note from Y": the note's own rules
        return Note(article, parsed, sentence).roles(received)
    return Statement(article, parsed, sentence).roles(key, rule)


def represented(article: Article, sentence: Sentence, roles: Roles | None) -> Roles | None:
    """The envoy of a protecting power ("the Swiss ambassador in Tehran") summoned over what the
    state it represents did, named in the sentence: that state is the target (docs/annotation.md)."""
    if roles is None:
        return None
    other = load_protecting_powers().get((roles.actor, roles.target))
    if other and any(e.code == other for e in article.entities_in(sentence.start, sentence.end)):
        return replace(roles, target=other)
    return roles


def mutual(parsed: Parsed, key, rule: str) -> Roles | None:
    """"A and B summoned each other's envoys", "A and B blamed each other", "A and B
    traded barbs": each coordinated subject protests to the others."""
    objects = [c for c in key.children if c.dep_ in ("dobj", "dative", "pobj", "prep")]
    if rule != "statement_trade" and not any(t.lower_ in ("other", "another") for o in objects for t in o.subtree):
        return None
    actors = parsed.states(subject_of(key))
    if len(actors) < 2:
        return None
    return Roles(actors[0], actors[1], None, "mutual", 0.9, tuple(actors), tuple(actors[1:]))


def subject_state(article: Article, parsed: Parsed, sentence: Sentence, key) -> str | None:
    """The state a protest's grammatical subject names ("Nepal's foreign minister summoned"),
    not an envoy's (he speaks in the country he serves in), a note receiver's ("X rejected
    the note"), a group's or people's."""
    verb = governing_verb(key)
    subject = subject_of(verb) if not verb.lower_.startswith(RECEIVED) else None
    resolver = Resolver(article, parsed, sentence)
    if subject is None or resolver.envoy_speaks(subject, key) or any(
            c.dep_ == "appos" and parsed.is_diplomat(c) for c in subject.children):
        return None
    codes, how = resolver.actors(subject, key)
    return codes[0] if how == "subject" else None
