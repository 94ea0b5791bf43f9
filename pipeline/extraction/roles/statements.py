"""Statements, a verb of protest ("condemned", "accused", "expressed regret"): the subject
protests; the target is the object, a "to/with/against/at" phrase, else what the protest is
about. "X is concerned by Y's act" is read like an expressed concern."""

from __future__ import annotations

from pipeline.extraction import cues
from pipeline.extraction.roles.phrases import ABOUT_PREPS, TARGET_PREPS, VIOLENCE
from pipeline.extraction.roles.result import Roles, roles_from
from pipeline.extraction.roles.speakers import Resolver
from pipeline.extraction.syntax import ORGAN_WORDS, SUMMONING, agent_of, child, extraposed, head_decided, is_passive, prep_objects, subject_of


class Statement(Resolver):
    """The roles of a verb of protest, or of a state's concern."""

    def roles(self, key, rule: str) -> Roles | None:
        parsed = self.parsed
        if rule == "statement_urge":  # "the joint declaration of A and B urges C to ...": only signed ones
            signatories = self.signatories(subject_of(key), key)
            urged = [*(c for c in key.children if c.dep_ == "dobj"), *prep_objects(key, ("on", "upon"))]
            targets = self.targets(key, signatories, urged) if len(signatories) > 1 else []
            return roles_from(signatories, targets, None, "signatories", 0.8)
        if rule == "statement_recall" and is_passive(key):  # "the X ambassador to Y was recalled": X's, from Y
            hosts: list[str] = []
            actors = parsed.first_states(child(key, "nsubjpass"), hosts)
            if hosts or not actors:
                return roles_from(actors, hosts[:1], None, "subject", 0.8)
            return roles_from(actors, [self.counterpart(actors[0])], None, "subject+counterpart", 0.8)
        # "the decision was condemned by Baku"; "X's plan condemned by Baku" (a headline's passive)
        reduced = key.dep_ == "acl" and key.tag_ == "VBN" and agent_of(key) is not None
        if is_passive(key) or reduced:
            actors = parsed.states(agent_of(key))
            judged = key.head if reduced else child(key, "nsubjpass")
            targets = parsed.states(judged)
            if not actors and rule in ("statement_accuse", "statement_blame", "statement_criticize"):
                return None  # "X has been accused of ...": by whom, the sentence does not say
            return roles_from(actors or [self.fallback(targets)], targets, None, "by" if actors else "context", 0.9)
        if the_cause(key):
            return None
        if key.lower_ == "opposing" and key.dep_ == "pcomp" and key.head.lower_ == "with":
            return None  # "the EU is divided, with Spain and Cyprus opposing the move": a stance described, not a statement
        subject = subject_of(key)
        if rule.startswith("statement") and rule not in cues.RECIPIENT_RULES and self.envoy_speaks(subject, key):
            return None  # "the ambassador criticized ...": an envoy's remarks, not his state's statement
        if subject is not None and self.demonyms(subject) and not self.group_word(subject):
            return None  # "Latvians who oppose ...": people, not their state (also one not in "-s", unlike people())
        actors, how = self.actors(subject, key)
        direct = [c for c in key.children if c.dep_ in ("dobj", "dative", "iobj")]
        if key.dep_ == "relcl" and any(d.lower_ in ("whom", "which", "who", "that") for d in direct):
            direct = [key.head]  # "the authorities, whom he accused of ...": the relative's antecedent
        # "lodged a protest with X over Y's ...": the prepositions may hang on the object.
        carriers = [key, *(d for d in direct if d.lower_ not in VIOLENCE)]  # an attack "on X" hit X
        objects = direct + [o for t in carriers for o in prep_objects(t, TARGET_PREPS)]
        # "the ministry voiced Egypt's rejection of ...", "X's envoy was summoned to convey Y's rejection": the feeling's owner
        owners = [c for d in direct for p in d.children if p.dep_ == "poss" for c in self.parsed.states(p)] \
            if rule == "statement_expressed" else []
        if owners:
            actors, how = owners[:1], "owner"
        if how in ("", "context") and (rule == "note_lodged" or rule in cues.RECIPIENT_RULES):
            receivers = [o for t in carriers for o in prep_objects(t, ("to", "with"))]
            if host := self.host_of(receivers, self.targets(key, [], receivers)):
                actors, how = host, "host"  # "the ministry lodged a protest with the X embassy in Y": Y, not a guess
        if not actors:
            return None
        if (head_decided(key) or key.dep_ == "conj") and key.head.lower_.startswith(SUMMONING):
            objects += [c for c in key.head.children if c.dep_ == "dobj"]  # "summoned X to lodge (and lodged) a protest": to X
        if rule in cues.RECIPIENT_RULES and self.envoy_addressed(direct):
            return roles_from(actors, list(self.article.last_diplomat[0]), self.article.last_diplomat[1], how, 0.9)
        if rule == "statement_recall":  # "recalled its ambassador to X": X
            hosts = [h for o in direct for h in self.hosts_of(o) if h not in actors]
            # ("pulled its ambassador out of Rabat": "of" under "out"; "its ambassador from Rome": on the envoy)
            posts = [o for t in (key, *direct) for o in prep_objects(t, ("to", "in", "from"))] + [
                o for p in key.children if p.dep_ == "prep" and p.lower_ == "out" for o in prep_objects(p, ("of",))]
            hosts += [c for o in posts for c in parsed.states(o) if c not in actors]
            if hosts:
                return roles_from(actors, hosts[:1], None, how, 0.8)
            return roles_from(actors, [self.counterpart(actors[0])], None, how + "+counterpart", 0.8)
        if rule in ("statement_accuse", "statement_blame"):
            targets = self.targets(key, actors, direct)  # the accused must be a state
            return roles_from(actors, targets, None, how, 0.9)
        # "lodged a protest through diplomatic channels over ...": the parser may hang "over" on the channels
        means = prep_objects(key, ("through", "via"))
        about = [o for t in (*carriers, *means) for o in prep_objects(t, ABOUT_PREPS)]
        if rule == "statement_concern":  # ... and "voiced concern at X's decision"
            return self.concern(actors, how, about + [o for t in carriers for o in prep_objects(t, ("at",))])
        # an object's own clauses are walked with it
        about += [c for c in key.children if c.dep_ in ("xcomp", "ccomp", "advcl", "acl", "oprd")]
        # "noted with regret the decision of X": what the regret takes
        about += [c for p in key.children if p.dep_ == "prep" and p.lower_ == "with" for f in p.children
                  if f.dep_ in ("pobj", "pcomp") for c in f.children if c.dep_ in ("dobj", "ccomp")]
        if how == "context":  # "the ministry condemned X's remarks": not X's ministry, whoever spoke last
            actors = self.not_the_protested(actors, self.targets(key, [], objects + about))
            if not actors:
                return None
        targets = self.targets(key, actors, objects + about) or self.targets(key, actors, shared_object(key)) \
            or [c for d in (*direct, key) for clause in feeling_clauses(d) for c in self.clause_doers(clause) if c not in actors]
        if how == "ngo" and targets[:1] and targets[0] in self.nationality(subject):
            return None  # "a Peruvian rights group denounced the Peruvian police": criticism at home
        if not targets and self.anaphoric(objects, actors) and len(carriers) == len(direct) + 1:  # not "the attack"
            targets, how = [self.counterpart(actors[0])], how + "+counterpart"
        return roles_from(actors, targets, None, how, 0.9)

    def concerned(self, key) -> Roles | None:
        """"X is (deeply) concerned / disappointed by Y's act": X's reproach of Y, read like an
        expressed concern; only as the state's predicate (not "the states concerned")."""
        feeling = key.head if key.dep_ == "conj" and key.head.lower_ in cues.FEELINGS else key  # "disappointed and concerned that"
        subject = child(feeling, "nsubjpass") or (subject_of(feeling.head) if feeling.dep_ == "acomp" else None)
        if subject is None or self.envoy_speaks(subject, key):
            return None
        actors, how = self.actors(subject, key)
        about = prep_objects(key, (*ABOUT_PREPS, "at")) + [a for a in (agent_of(key),) if a is not None]
        # "is disappointed (and concerned) that X decided ...": the clause's doer
        feelings = [feeling, *(c for c in feeling.children if c.dep_ == "conj")]
        doers = [c for f in feelings for clause in feeling_clauses(f) for c in self.clause_doers(clause) if c not in actors]
        if doers and how != "ngo":
            return roles_from(actors, doers, None, how, 0.8)
        return self.concern(actors, how, about)

    def clause_doers(self, clause) -> list[str]:
        """"... that Greece is seeking to ...", "that the Greek government ...": the state a
        clause's subject is (not "that the talks with Sweden may fail": the talks are no doer)."""
        subject = child(clause, "nsubj")
        if subject is None or not (self.parsed.code(subject) or subject.lower_ in ORGAN_WORDS):
            return []
        return self.parsed.first_states(subject, strict=True)

    def concern(self, actors: list[str], how: str, about: list) -> Roles | None:
        """A concern counts only as a state's, and only about what another state did (the
        doers of the acts it is about)."""
        doers = [c for o in about for c in self.perpetrators(o) if c not in actors]
        return roles_from(actors, doers, None, how, 0.8) if how != "ngo" else None


def feeling_clauses(feeling) -> list:
    """The that-clause a feeling takes: "regret that X closed ...", "disappointment in noting
    that X ...", "concerned that X decided ..."."""
    clauses = [c for c in feeling.children if c.dep_ in ("acl", "ccomp")
               and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    return clauses + [c for p in feeling.children if p.dep_ == "prep" and p.lower_ in ("in", "at")
                      for verb in p.children if verb.dep_ == "pcomp" for c in verb.children if c.dep_ == "ccomp"]


def shared_object(verb) -> list:
    """"criticised and dismissed the X-Y accord": the object of the next verb, when the verb has
    none of its own and the next verb shares its subject."""
    if any(c.dep_ in ("dobj", "dative", "iobj") for c in verb.children):
        return []
    return [c for v in verb.children if v.dep_ == "conj" and v.tag_.startswith("VB") and child(v, "nsubj") is None
            for c in v.children if c.dep_ == "dobj"]


def the_cause(verb) -> bool:
    """Words told as what a protest answers, not as a protest: "(summoned the envoy) after the
    president criticized ...", "the spokesman had reportedly criticised ..."."""
    if verb.dep_ == "ccomp" and extraposed(verb.head) == verb and any(c.dep_ == "acomp" for c in verb.head.children):
        return True  # "it is unacceptable that X accuses Y": what the verdict is on
    marks = {c.lower_ for c in verb.children if c.dep_ in ("mark", "advmod", "aux")}
    # (not "the protests come a week after China criticised Japan": what answers it is no state's act)
    answered = not verb.head.lower_.startswith(("come", "came", "took", "happen", "occur"))
    return verb.dep_ in ("advcl", "ccomp") and answered and bool(marks & {"after", "because", "since"}) or (
        "had" in marks and bool(marks & {"reportedly", "allegedly"}))
