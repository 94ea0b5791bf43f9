"""A protest note, or a protest named as a thing: the giver is the subject of the verb that
hands it, or the note's owner ("the protest of X", "a protest from the government in Y"); the
receiver its "to"/"with" object or dative, or the diplomat who "was handed" it; "the country"
is the host of the giver's embassy."""

from __future__ import annotations

from pipeline.extraction import cues
from pipeline.extraction.roles.phrases import ABOUT_PREPS, TARGET_PREPS
from pipeline.extraction.roles.result import Roles, roles_from
from pipeline.extraction.roles.speakers import Resolver
from pipeline.extraction.syntax import PRONOUNS, SUMMONING, child, governing_verb, is_passive, passive_subject, prep_objects, subject_of

RECEIVING = ("receiv", "hand", "given", "deliver", "present", "serve")  # "<diplomat> was handed a note"
RECEIVED = ("receiv", "reject", "accept", "return", "refus", "declin")  # "X rejected the note": X was handed it
PROMPTING = ("trigger", "caus", "provok", "prompt", "spark", "draw", "drew", "elicit")  # "... drew a protest from X"
THE_HOST = frozenset({"country", "host", "republic", "state"})  # "the country's foreign ministry"
CAUSE_MARKS = frozenset({"after", "because", "since", "when", "as"})  # "... after X deported ...": what the protest answers


def cause_clauses(verb) -> list:
    """The verb's adverbial clauses that tell what it answers ("after Kenya deported ...")."""
    return [c for c in verb.children if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CAUSE_MARKS for m in c.children)]


class Note(Resolver):
    """The roles of a protest note, or of a protest named as a noun."""

    def roles(self, key) -> Roles | None:
        parsed = self.parsed
        owners = self.owners(key)
        # "a note of protest to X" (the parser may hang "of protest" on the verb)
        of_nouns = [o for c in (*key.children, *key.head.children) if c.dep_ == "prep" and c.lower_ == "of"
                    and (c.head == key or c.i == key.i + 1) for o in c.children if o.dep_ == "pobj"]
        participles = [c for c in key.children if c.dep_ == "acl" and c.tag_ == "VBN"]  # "a note addressed to X"
        to_key = [o for token in (key, *of_nouns, *participles) for o in prep_objects(token, TARGET_PREPS)]
        verb = governing_verb(key)
        if verb == key:
            verb = None
        prompted = verb is not None and verb.lower_.startswith(PROMPTING)
        if prompted and not owners:  # "the visit drew a protest from X": the parser hangs "from" on the verb
            owners = [c for o in prep_objects(verb, ("from",)) for c in parsed.first_states(o, strict=True)]
        if verb is not None and not verb.lower_.startswith(RECEIVED) and _at_a_passive_summons(verb):
            return None  # "X was summoned (in order) to present him with a note": the summons' own note, not X's
        subject = subject_of(verb) if verb is not None else None
        receiving = verb is not None and (verb.lower_.startswith(RECEIVED) or (
            verb.lower_.startswith(RECEIVING) and is_passive(verb)))
        if receiving and key.dep_ == "dobj":
            # "<diplomat> was handed a note", "X received a note from Y": the subject receives.
            subject = passive_subject(verb) or subject
            if verb.dep_ in ("xcomp", "advcl") and child(verb.head, "dobj") is not None:
                subject = child(verb.head, "dobj")  # "summoned the X envoy to receive a note": the envoy
            targets = parsed.states(subject)
            name = self.diplomat_name(subject)
            if not targets and self.article.last_diplomat and subject is not None and (
                    subject.lower_ in PRONOUNS or parsed.is_diplomat(subject)):
                targets, name = list(self.article.last_diplomat[0]), name or self.article.last_diplomat[1]
            # "... by X", "a note from X", "was handed a note at X's ministry"
            at_ministry = [o for t in (verb, key, *of_nouns) for o in prep_objects(t, ("at", "in"))
                           if cues.STATE_ORGAN_NOUN.fullmatch(o.text)]
            givers = self.targets(key, targets, [*prep_objects(verb, ("by", "from")), *prep_objects(key, ("from",)), *at_ministry])
            if givers:
                return roles_from(givers, targets, name, "by", 0.9)
            return roles_from(owners or [self.fallback(targets, ranked=True)], targets, name, "owner" if owners else "context", 0.9)
        actors, how = (owners, "owner") if owners else self.actors(subject, key)
        if not owners and verb is not None and key.dep_ in ("nsubj", "nsubjpass"):
            actors, how = [self.fallback()], "context"  # "a protest note was handed to ...": no giver named
        objects = [*to_key]
        if verb is not None:
            objects += [c for c in verb.children if c.dep_ in ("dative", "iobj")] + prep_objects(verb, TARGET_PREPS)
            if key.dep_ == "dobj":  # "handed the X ambassador a note": the parser may take the receiver for a first object
                objects += [c for c in verb.children if c.dep_ == "dobj" and c.i < key.i]
            if key.dep_ == "nsubj":  # "X's protest note reached Y", "the note accused Y of ...": the note's addressee
                objects += [c for c in verb.children if c.dep_ == "dobj"]
            if prompted and subject is not None:
                objects.append(subject)  # "the visit triggered a protest from X": the visit's state
        if how == "context":
            actors = self.not_the_protested(actors, self.targets(key, [], objects))
        if self.envoy_addressed(objects):
            targets = list(self.article.last_diplomat[0])
        else:
            targets = self.targets(key, actors, objects)
        receivers = [o for o in objects if o.dep_ in ("dative", "iobj") or o.head.lower_ in ("to", "with")]
        if how == "context" and (host := self.host_of(receivers, targets)):
            actors, how = host, "host"  # "the ministry lodged a protest with the X embassy in Y": Y, not a guess
        if not targets and any(t.lower_ in THE_HOST for o in objects for t in o.subtree):
            targets = [h for h in self.hosts_of(subject) if h not in actors]
        if not targets and verb is not None and not prompted:  # "lodged a protest over X's survey": X
            # ... or "issued a protest after X deported ...": the doer of the act it answers
            about = [o for t in (key, verb) for o in prep_objects(t, ABOUT_PREPS)] + cause_clauses(verb)
            targets = self.targets(key, actors, about)
        if not targets and actors and (self.anaphoric(objects, actors) or not objects):
            targets, how = [self.counterpart(actors[0])], how + "+counterpart"
        return roles_from(actors, targets, None, how, 0.9)

    def owners(self, key) -> list[str]:
        """Whose note or protest it is: "X's protest", "the protest of X", "a protest from
        the government in Y" ("a note of protest": the owners of the protest too)."""
        nouns = [key, *(o for c in key.children if c.dep_ == "prep" and c.lower_ == "of"
                        for o in c.children if o.dep_ == "pobj" and o.lower_.startswith("protest"))]
        found = []
        for noun in nouns:
            for c in noun.children:
                if c.dep_ in ("poss", "amod", "compound", "nmod"):
                    found += self.parsed.first_states(c, strict=True)
                elif c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
                    for o in (o for o in c.children if o.dep_ == "pobj" and not o.lower_.startswith("protest")):
                        found += self.parsed.first_states(o, strict=True) or (
                            # "a protest from the authorities in Tokyo": the parser hangs "in" on the protest
                            [s for p in prep_objects(noun, ("in",)) for s in self.parsed.states(p)]
                            if cues.STATE_ORGAN_NOUN.fullmatch(o.text) else [])
        return list(dict.fromkeys(found))


def _at_a_passive_summons(verb) -> bool:
    """"was summoned to present him a note", "... in order to present him with a note"."""
    token = verb
    for _ in range(4):
        if token.dep_ not in ("xcomp", "advcl", "acl", "pobj", "prep") or token.head == token:
            return False
        token = token.head
        if token.lower_.startswith(SUMMONING) and is_passive(token):
            return True
    return False
