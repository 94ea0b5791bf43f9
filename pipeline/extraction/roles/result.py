"""What resolving a trigger's roles finds (Roles) and how sure it is of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Roles:
    actor: str
    target: str
    diplomat: str | None
    how: str  # how the actor was found: subject | by | ministry | host | owner | speaker | context | ...
    certainty: float  # 1.0 when both roles came from the sentence's grammar
    also_targets: tuple[str, ...] = ()  # "the ambassadors of France and Germany"
    also_actors: tuple[str, ...] = ()  # "Germany and France summoned ..."


# How sure a role found this way is, beside one the sentence's grammar gives: an actor guessed
# from the article (the last actor named, its home state) or a target taken from what the
# article is about is less sure than one named in the sentence.
HOW_CERTAINTY = {"context": 0.8, "document": 0.8, "speaker": 0.9, "host": 0.9, "counterpart": 0.8}


def roles_from(actors: list[str], targets: list[str], diplomat: str | None, how: str, certainty: float) -> Roles | None:
    """certainty: the construction's; the way each role was found lowers it (HOW_CERTAINTY)."""
    actors = [a for a in actors if a]
    targets = [t for t in targets if t and t not in actors[:1]]
    if not actors or not targets:
        return None
    for way in how.split("+"):
        certainty *= HOW_CERTAINTY.get(way, 1.0)
    return Roles(actors[0], targets[0], diplomat, how, round(certainty, 3), tuple(targets[1:]), tuple(actors[1:]))
