"""Summons: the summoned diplomat's country is the target (the object, or the passive
subject); the actor is the subject, the passive's "by" agent, the ministry the diplomat was
summoned to, or the country the diplomat serves in."""

from __future__ import annotations

import re

from pipeline.extraction import cues
from pipeline.extraction.article import ENVOY_AFTER
from pipeline.extraction.roles.result import Roles, roles_from
from pipeline.extraction.roles.speakers import NOBODY, PEOPLE, Resolver
from pipeline.extraction.syntax import EMBASSY_WORDS, agent_of, child, is_passive, prep_objects, subject_of

OWN = frozenset({"its", "their", "our", "his", "her"})  # "summoned its ambassador": its own
_ENVOYS_OF = re.compile(r"\b" + cues.DIPLOMAT_WORDS + r"\s+(?:of|from)\s+(?:the\s+)?", re.I)
_LIST_GAP = re.compile(r"(?:,?\s+(?:and|or)\s+|,\s*)?(?:the\s+)?")  # between the states of a list
SUMMONED_PRONOUNS = frozenset({"him", "her", "them"})  # "summoned him": the diplomat named before
# Passives that summon only a diplomat: a leader "received by" or "invited to" is a guest.
WEAK_PASSIVES = frozenset({"received", "invited", "asked"})
# People a government may summon who are no envoys: "summoned two opposition leaders", the people speakers.py knows.
NOT_ENVOYS = PEOPLE | frozenset({"leader", "leaders", "politician", "politicians", "editor", "editors", "executive",
                                 "executives", "lawmakers", "activists", "players", "coach", "chiefs", "elders"})


class Summons(Resolver):
    """The roles of a summons ("summoned the X ambassador", "the envoy was called in")."""

    def roles(self, key) -> Roles | None:
        parsed = self.parsed
        passive = is_passive(key) or (key.dep_ == "acl" and key.tag_ == "VBN" and child(key, "nsubj") is None)
        phrase = (child(key, "nsubjpass") or (key.head if key.dep_ in ("acl", "relcl") else None)) if passive \
            else child(key, "dobj") or next(iter(prep_objects(key, ("in",))), None)
        if phrase is None or phrase.lower_ in SUMMONED_PRONOUNS or passive and phrase.lower_ in ("he", "she"):
            phrase = next((t for t in parsed.doc if parsed.is_diplomat(t)), phrase)
        agent = agent_of(key) if passive else None
        if agent is not None and phrase is not None and parsed.is_diplomat(agent) and not parsed.is_diplomat(phrase):
            phrase, agent = agent, phrase  # "the ministry was invited by the ambassador": a translation's reversal
        if passive and key.lower_ in WEAK_PASSIVES and not self.a_diplomat(phrase):
            return None  # "the Guinean leader was received by a delegation": a guest, not a summoned envoy
        if phrase is not None and phrase.lower_ in NOT_ENVOYS:
            return None  # "summoned two South African opposition leaders": no diplomat
        hosts: list[str] = []
        targets = parsed.first_states(phrase, hosts, acl=False)
        if not targets:  # "summoned an attaché at the X embassy": the parser hangs "at" on the verb
            targets = [c for o in prep_objects(key, ("at", "of", "from")) if o.lower_ in EMBASSY_WORDS
                       for c in parsed.first_states(o)]
        if not passive and phrase is not None and any(
                c.dep_ == "poss" and c.lower_ in OWN for c in phrase.children) and parsed.is_diplomat(phrase):
            return None  # "Zagreb summoned its ambassador to Serbia": called home, a recall
        name = self.diplomat_name(phrase)
        remembered = self.article.last_diplomat
        if not targets and phrase is not None:
            targets = self.listed(phrase)
        # "he", "the envoy", "Ambassador Huang": the diplomat last named
        if not targets and remembered and (phrase is None or phrase.lower_ in SUMMONED_PRONOUNS or self.a_diplomat(phrase)):
            targets, name = list(remembered[0]), name or remembered[1]
        # "... met the Russian ambassador on Saturday. The ambassador was summoned": the envoy named before
        if not targets and self.a_diplomat(phrase) and not self.indefinite(phrase):
            # ("... the ambassadors of A, B and C. The envoys have been summoned": the envoys listed before)
            targets = self.last_envoys_listed() if phrase.tag_ == "NNS" else []
            if not targets and (envoy := self.last_envoy_state()):
                targets = [envoy]
        # "X's ministry summoned Ambassador Wu": an envoy of no named state is the article's other party's
        unnamed = not targets and not passive and phrase is not None and phrase.tag_ == "NNP" and phrase.dep_ in ("dobj", "pobj") \
            and not any(c.dep_ == "det" for c in phrase.children)  # a person, not "the Democratic Alliance"
        if not targets and not unnamed:
            return None
        if targets:
            self.article.last_diplomat = (tuple(targets), name)
        if passive:
            for objects, how in (([agent] if agent is not None else [], "by"),
                                 (prep_objects(key, ("to", "at", "by", "in")), "ministry")):
                for obj in objects:
                    codes = [c for c in self.home_office(obj, parsed.states(obj)) if c not in targets]
                    if codes:
                        return roles_from(codes, targets, name, how, 1.0)
            host = [h for h in hosts if h not in targets]
            if host:
                return roles_from(host, targets, name, "host", 1.0)
            if any(o.lower_ in cues.GROUP_NOUNS for o in prep_objects(key, ("to", "by"))) or (
                    agent is not None and agent.lower_ in cues.GROUP_NOUNS):
                return None  # "summoned to several foreign ministries": no one state to guess
            return roles_from([self.fallback(targets, ranked=True, groups=False)], targets, name, "context", 1.0)
        actors, how = self.actors(subject_of(key), key, exclude=targets, groups=False)  # a group summons no one
        # "summoned the X envoy to the Philippines ...": the parser may hang the post's "to" on the verb
        # (not "summoned our envoy to the Foreign Office": a ministry the text does not place is no host)
        posts = [o for o in prep_objects(key, ("to",)) if parsed.kind(o) != "ministry"]
        host = [h for h in hosts + [c for o in posts for c in parsed.states(o)] if h not in targets]
        if how == "context" and host:  # "the ministry summoned the X envoy to Y": Y, not a guess
            actors, how = host, "host"
        if how == NOBODY:
            return None
        if not actors:
            actors, how = (host, "host") if host else ([self.fallback(targets, ranked=True, groups=False)], "context")
        if unnamed:
            if how != "subject":
                return None
            targets, how = [self.envoys_state(actors[0])], how + "+counterpart"
        return roles_from(actors, targets, name, how, 1.0)

    def a_diplomat(self, phrase) -> bool:
        """"the envoy", "Ambassador Huang" (a diplomat's title on a name)."""
        return phrase is not None and (self.parsed.is_diplomat(phrase) or any(
            c.dep_ == "compound" and self.parsed.is_diplomat(c) for c in phrase.children))

    @staticmethod
    def indefinite(phrase) -> bool:
        """"an ambassador", "a diplomat": no one named before."""
        return any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in phrase.children)

    def envoys_state(self, actor: str) -> str | None:
        """"China's ambassador ... Seoul summoned Xing": the last state named before with its
        envoy, else the article's other party."""
        return self.last_envoy_state(exclude=actor) or self.counterpart(actor)

    def last_envoys_listed(self) -> list[str]:
        """The states of the last "envoys of A, B and C" of the two sentences before this one."""
        text = self.article.text
        for previous in reversed(self.before(2)):
            for envoys in reversed(list(_ENVOYS_OF.finditer(text, previous.start, previous.end))):
                listed, end = [], envoys.end()
                for entity in self.article.entities_in(envoys.end(), previous.end):
                    if not _LIST_GAP.fullmatch(text, end, entity.start):
                        break
                    listed, end = [*listed, entity.code], entity.end
                if listed:
                    return list(dict.fromkeys(listed))
        return []

    def last_envoy_state(self, exclude: str | None = None) -> str | None:
        """The state last named before this sentence with its envoy ("Russia's ambassador")."""
        text = self.article.text
        return next((entity.code for entity in reversed(self.article.entities_in(0, self.sentence.start))
                     if entity.code != exclude and ENVOY_AFTER.match(text, entity.end)), None)
