"""Evaluations: "X caused regret", "the visit is unacceptable", "called the decision
regrettable": the judged thing's state is the target, the one who judges (or speaks) the actor."""

from __future__ import annotations

from pipeline.extraction.roles.phrases import VIOLATIONS
from pipeline.extraction.roles.result import Roles, roles_from
from pipeline.extraction.roles.speakers import NOBODY, Resolver
from pipeline.extraction.syntax import child, extraposed, governing_verb, prep_objects, speaker_of, subject_of

VERDICT_VERBS = ("deem", "consider", "call", "term", "regard", "brand", "label", "find", "found", "declar", "view")
LAWS = frozenset({"law", "laws", "code", "constitution", "legislation", "statute", "statutes"})


class Evaluation(Resolver):
    """The roles of a verdict on a thing ("regrettable", "unacceptable", "caused regret")."""

    def roles(self, key) -> Roles | None:
        if key.tag_.startswith("VB") and key.lower_.startswith("violat") and speaker_of(key) is None:
            return None  # "X violated Y's airspace" told by the reporter is a fact, not Y's verdict
        verb = governing_verb(key)
        if any(law.lower_ in LAWS and not any(t.lower_ == "international" for t in law.subtree)
               for law in prep_objects(key, ("under",)) + prep_objects(verb, ("under",))):
            return None  # "unacceptable under Thai law": a crime at home, not another state's act
        if key.lower_ == "opposed" and key.dep_ == "acomp":  # "X is firmly opposed to Y's action": X judges Y's action
            judged, judge = prep_objects(key, ("to",)), subject_of(verb)
        elif key.lower_.startswith(("hold", "held")):  # "X holds Y (fully) responsible": X judges Y
            verdict = next((c for c in key.children if c.dep_ in ("ccomp", "oprd", "xcomp")), key)
            judged, judge = [child(key, "dobj") or child(verdict, "nsubj")], subject_of(key)
        elif key.tag_.startswith("VB"):  # "the remarks caused regret in Baku"
            judged = [c for c in key.children if c.dep_ in ("nsubj", "csubj")] or [subject_of(key)]
            # "caused indignation in Baku": the parser may hang "in Baku" on the verb
            judges = ("in", "among", "of", "from")
            reaction = child(key, "dobj") or next(iter(prep_objects(key, ("with",))), key)  # "met with a rebuke from X"
            judge = next(iter([*prep_objects(reaction, judges), *prep_objects(key, judges)]), None)
            if key.lower_.startswith("violat"):  # "the airspace of X" is the victim, not a judge
                judge = None
        elif (key.dep_ == "dobj" and verb.lower_.startswith(VERDICT_VERBS)
              and (first := next((c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i < key.i), None)) is not None):
            # "deeming the deal a violation": the parser's two objects of a verdict, the first judged
            judged, judge = [first], subject_of(verb)
        elif (key.head if key.dep_ == "amod" else key).dep_ in ("oprd", "xcomp", "ccomp", "advmod") \
                and (child(verb, "dobj") or child(key, "nsubj")) is not None:  # ... "regrettable", "an unacceptable step"
            # "called the decision regrettable" (the decision the verb's object or the verdict's subject)
            judged, judge = [child(verb, "dobj") or child(key, "nsubj")], subject_of(verb)
        else:  # "the visit is unacceptable (to X)", "an unacceptable step by X", "amounts to interference"
            judged = [extraposed(verb) or subject_of(verb) if key.dep_ in ("acomp", "attr") or amounts_to(key) or is_what_x_is(key)
                      # "condemns this violation of X's sovereignty (by Y)": the violation, when it names its doer or points back
                      else key if self.names_its_violator(key) else key.head]
            # ("responsible for X": X is what was done, not who judges)
            judge = next(iter(prep_objects(key, ("to",) if key.lower_.startswith("responsib") else ("to", "for"))), None)
        judged = [j for j in judged if j is not None]
        targets = self.targets(key, [], judged)
        actors, how = self.actors(judge, key, exclude=targets)
        if not actors and how != NOBODY:  # no judge, or one that names no state: whoever speaks
            actors, how = self.actors(None, key, exclude=targets)
        if not targets and actors and self.anaphoric(judged, actors):
            if how == "context":
                how = "guess"  # "the attack on X is unacceptable": both roles guessed (extractor.py)
            targets = [self.counterpart(actors[0])]
        return roles_from(actors, targets, None, how, 0.8)

    def names_its_violator(self, key) -> bool:
        """"this violation of X's sovereignty", "a violation ... by Y": the violation itself is judged."""
        return key.lower_ in VIOLATIONS and key.dep_ in ("dobj", "pobj") and (bool(self.perpetrators(key, of_is_victim=True)) or any(
            c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those", "such") for c in key.children))


def is_what_x_is(noun) -> bool:
    """"X constitutes a violation", "X represents interference": the noun is what X is."""
    return noun.dep_ == "dobj" and noun.head.lower_.startswith(("constitut", "represent"))


def amounts_to(noun) -> bool:
    """"X amounts to interference": the noun is what X is, like "X is interference"."""
    return noun.dep_ == "pobj" and noun.head.lower_ == "to" and noun.head.head.lower_.startswith("amount")
