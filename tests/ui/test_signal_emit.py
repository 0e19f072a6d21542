"""PySide6 6.12.0 on Python 3.11 corrupts the refcount of True on every Signal.emit()
and aborts after a few hundred emits. This test fails (by crashing) on such a build."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

EMITS = 20_000


class Emitter(QObject):
    flag_changed = Signal(bool)
    count_changed = Signal(int)


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.flags: list[bool] = []
        self.counts = 0

    def on_flag(self, value: bool) -> None:
        self.flags.append(value)

    def on_count(self, _value: int) -> None:
        self.counts += 1


def test_twenty_thousand_emits_all_arrive(qapp) -> None:
    emitter, receiver = Emitter(), Receiver()
    emitter.flag_changed.connect(receiver.on_flag)
    emitter.count_changed.connect(receiver.on_count)
    for n in range(EMITS):
        emitter.flag_changed.emit(n % 2 == 0)
        emitter.count_changed.emit(n)
    assert len(receiver.flags) == EMITS
    assert receiver.flags[:4] == [True, False, True, False]
    assert receiver.counts == EMITS
