"""A case's events in time order (`Event.sort_key`), kept up to date edit by edit.

No Qt. Sorting 100,000 events takes a good part of a second; after an edit of one event,
:meth:`TimeOrder.apply` moves just that one (a binary search and a list insert). Ranks are
found by binary search too, so an edit never renumbers the events after it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from timeline_app.core.model import Case, Event


@dataclass(frozen=True)
class Move:
    """An event left rank ``old`` (None: it is new) for rank ``new`` (None: it was removed)."""

    event_id: str
    old: int | None
    new: int | None


class TimeOrder:
    """The events of a case by `Event.sort_key`, and each one's rank (position)."""

    def __init__(self, case: Case | None = None) -> None:
        events = case.events if case is not None else []
        keys = [ev.sort_key() for ev in events]
        order = sorted(range(len(events)), key=keys.__getitem__)
        self.events: list[Event] = [events[i] for i in order]
        self._keys = [keys[i] for i in order]  # as they were when last placed
        self._key_of = {ev.id: key for ev, key in zip(events, keys, strict=True)}
        self.unique = len(self._key_of) == len(self.events)  # else no edits in place
        # Ids used twice (a case made in code, not loaded): the later in time order counts.
        self._rank_of = None if self.unique else self.ranks()

    def __len__(self) -> int:
        return len(self.events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._key_of

    def rank(self, event_id: str) -> int | None:
        """The position of ``event_id`` in time order (None: no such event)."""
        if self._rank_of is not None:
            return self._rank_of.get(event_id)
        key = self._key_of.get(event_id)
        return None if key is None else bisect_left(self._keys, key)

    def ranks(self) -> dict[str, int]:
        """Every event's rank (a new dict)."""
        return {ev.id: rank for rank, ev in enumerate(self.events)}

    def apply(self, changes: dict[str, Event | None]) -> list[Move] | None:
        """Place again the events in ``changes`` (id -> the event now, None: removed), as
        sorting the case anew would; the moves made, or None when only a new sort will do."""
        if not self.unique:
            return None
        moves = []
        for event_id, event in changes.items():
            old = self.rank(event_id)
            if old is not None:
                del self.events[old], self._keys[old], self._key_of[event_id]
            new = None
            if event is not None:
                key = event.sort_key()
                new = bisect_left(self._keys, key)
                self.events.insert(new, event)
                self._keys.insert(new, key)
                self._key_of[event_id] = key
            if old is not None or new is not None:
                moves.append(Move(event_id, old, new))
        return moves
