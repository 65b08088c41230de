"""Which content the kiosk shows next (kiosk.core.packs.selection): the decisions alone,
with no store, no thread and no window, so each case runs in well under a millisecond.
tests/test_hot_swap.py keeps a few of them end to end, on a real store and window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.packs import selection as sel
from kiosk.core.packs import selection_events as sev


@dataclass(frozen=True)
class Pack:
    """Content as the machine sees it (a ContentChoice in the kiosk)."""

    name: str
    folder: Path | None = None
    verified: bool = False


def installed(name: str) -> Pack:
    return Pack(name, Path("/store/packs") / name)


BUNDLED = Pack("bundled", None, verified=True)
A, B, C = installed("a"), installed("b"), installed("c")


def run(
    state: sel.Selection[Pack], *events: sev.Event
) -> tuple[sel.Selection[Pack], list[sev.Action]]:
    actions: list[sev.Action] = []
    for event in events:
        state, done = sel.step(state, event)
        actions.extend(done)
    return state, actions


def passed(pack: Pack, nobody_reading: bool = False) -> sev.CheckPassed:
    assert pack.folder is not None
    return sev.CheckPassed(pack.folder, nobody_reading)


def failed(pack: Pack) -> sev.CheckFailed:
    assert pack.folder is not None
    return sev.CheckFailed(pack.folder, (str(pack.folder), 1), "digest differs")


def looked(choice: Pack | None, nobody_reading: bool = False) -> sev.StoreLooked[Pack]:
    return sev.StoreLooked(choice, nobody_reading=nobody_reading)


def shown_by(actions: list[sev.Action]) -> list[str]:
    return [a.content.name for a in actions if isinstance(a, sev.ShowNow)]


def test_a_new_pack_is_checked_before_anything_else() -> None:
    state, actions = run(sel.Selection(A), sev.StoreTouched())
    assert actions == [sev.WaitForStoreToSettle()]
    state, actions = run(state, sev.StoreChanged())
    assert actions == [sev.LookAtStore(recheck_root=False, rejected=frozenset())]
    state, actions = run(state, looked(B))
    assert actions == [sev.Verify(Path("/store/packs/b"))] and state.checking == B
    assert state.shown == A and state.next is None


def test_a_pack_that_lands_mid_session_shows_only_at_the_next_reset() -> None:
    state, actions = run(sel.Selection(A), looked(B), passed(B, nobody_reading=False))
    assert actions[-1] == sev.Ready(B) and shown_by(actions) == []
    assert state.shown == A and state.next == B
    state, actions = run(state, sev.PatientLeft())
    assert shown_by(actions) == ["b"] and state.shown == B and state.next is None


def test_an_idle_kiosk_shows_a_checked_pack_at_once() -> None:
    state, actions = run(sel.Selection(A), looked(B), passed(B, nobody_reading=True))
    assert actions[-2:] == [sev.Ready(B), sev.ShowNow(B)]
    assert state.shown == B and state.next is None


def test_a_newer_pack_that_fails_its_check_never_shows_and_the_last_good_one_stays() -> None:
    state, actions = run(sel.Selection(A), looked(B), failed(B))
    assert sev.NeverShow(Path("/store/packs/b"), "digest differs") in actions
    assert state.checking is None and state.next is None
    assert isinstance(actions[-1], sev.LookAtStore) and actions[-1].rejected == state.rejected
    # The store, told to pass over b, offers a again: nothing changes.
    state, actions = run(state, looked(A), sev.PatientLeft(), sev.PatientLeft())
    assert shown_by(actions) == [] and state.shown == A


def test_a_pack_read_in_full_as_it_opened_needs_no_second_check() -> None:
    whole = Pack("whole", Path("/store/packs/whole"), verified=True)
    state, actions = run(sel.Selection(A), looked(whole))
    assert not any(isinstance(a, sev.Verify) for a in actions)
    assert state.next == whole


def test_looking_again_at_a_pack_being_checked_or_waiting_starts_nothing() -> None:
    state, _ = run(sel.Selection(A), looked(B))
    state, actions = run(state, looked(B))
    assert actions == [] and state.checking == B
    state, _ = run(state, passed(B))
    state, actions = run(state, looked(B))
    assert actions == [] and state.next == B


def test_a_store_pointing_back_at_what_shows_drops_what_was_waiting() -> None:
    state, _ = run(sel.Selection(A), looked(B), passed(B), looked(C))
    assert state.next == B and state.checking == C
    state, actions = run(state, looked(A))
    assert actions == [] and state.next is None and state.checking is None


def test_a_check_that_ends_while_the_store_changes_waits_for_the_look() -> None:
    state, _ = run(sel.Selection(A), looked(B), sev.StoreTouched())
    state, actions = run(state, passed(B, nobody_reading=True))
    assert actions == [] and state.shown == A and state.next is None
    state, actions = run(state, sev.StoreChanged(), looked(C))
    assert actions[-1] == sev.Verify(Path("/store/packs/c"))  # b is no longer the store's choice


def test_the_pack_on_screen_is_read_in_full_once_the_first_screen_is_up() -> None:
    _state, actions = run(sel.Selection(A), sev.FirstScreenUp())
    assert actions == [sev.Verify(Path("/store/packs/a"))]
    for content in (BUNDLED, Pack("whole", Path("/w"), verified=True)):
        assert run(sel.Selection(content), sev.FirstScreenUp())[1] == []


def test_the_pack_on_screen_passing_its_check_changes_nothing() -> None:
    state, actions = run(sel.Selection(A), sev.FirstScreenUp(), passed(A, nobody_reading=True))
    assert state == sel.Selection(A) and actions == [sev.Verify(Path("/store/packs/a"))]


def test_a_damaged_pack_on_screen_gives_way_to_the_previous_one_between_patients() -> None:
    state, actions = run(sel.Selection(A), sev.FirstScreenUp(), failed(A))
    assert state.shown_failed and isinstance(actions[-1], sev.LookAtStore)
    state, actions = run(state, looked(B), passed(B))
    assert state.shown == A and state.next == B  # a patient may be reading
    state, actions = run(state, sev.PatientLeft())
    assert shown_by(actions) == ["b"] and not state.shown_failed


def test_when_every_installed_pack_fails_the_bundled_content_shows() -> None:
    state, actions = run(sel.Selection(A), failed(A), looked(None))
    assert actions[-1] == sev.LoadBundled() and sel.Awaiting.BUNDLED in state.awaiting
    state, actions = run(state, looked(None))
    assert sev.LoadBundled() not in actions  # being loaded already
    state, actions = run(state, sev.BundledLoaded(BUNDLED, nobody_reading=True))
    assert shown_by(actions) == ["bundled"] and state.shown == BUNDLED


def test_bundled_content_that_does_not_load_is_tried_once() -> None:
    state, _ = run(sel.Selection(A), failed(A), looked(None), sev.BundledLoaded(None))
    state, actions = run(state, sev.StoreChanged(), looked(None))
    assert sev.LoadBundled() not in actions and state.shown == A
    no_bundled = sel.Selection(A, can_fall_back=False)
    assert sev.LoadBundled() not in run(no_bundled, failed(A), looked(None))[1]


def test_bundled_content_waiting_for_the_reset_is_not_loaded_again() -> None:
    state, _ = run(sel.Selection(A), failed(A), looked(None), sev.BundledLoaded(BUNDLED))
    state, actions = run(state, sev.StoreChanged(), looked(None))
    assert sev.LoadBundled() not in actions and state.next == BUNDLED


def test_the_folders_in_use_stay_held() -> None:
    state, _ = run(sel.Selection(A), looked(B), passed(B), looked(C))
    assert state.held_folders == {A.folder, B.folder, C.folder}
    state, _ = run(state, sev.PatientLeft())
    assert state.held_folders == {B.folder, C.folder}


def test_reload_shows_what_waits_at_once_and_tells_staff() -> None:
    state, _ = run(sel.Selection(A), looked(B), passed(B))
    state, actions = run(state, sev.StaffReload())
    assert actions == [sev.LookAtStore(recheck_root=False, rejected=frozenset())]
    state, actions = run(state, looked(B))
    assert actions == [sev.ShowNow(B), sev.ReportToStaff()] and state.shown == B


def test_reload_checks_the_new_pack_off_the_gui_thread_before_telling_staff() -> None:
    state, actions = run(sel.Selection(A), sev.StaffReload(), looked(B))
    assert actions[-1] == sev.Verify(Path("/store/packs/b")) and state.staff_waiting
    state, actions = run(state, passed(B, nobody_reading=False))  # staff are in the panel
    assert actions == [sev.Ready(B), sev.ShowNow(B), sev.ReportToStaff()]
    assert not state.staff_waiting


def test_a_reload_staff_walked_away_from_waits_for_the_next_reset() -> None:
    """Staff tap Reload and leave (which resets the kiosk) before the check ends; a
    patient starts reading. The pack must not change under their eyes (hypothesis found
    it: the check's end used to show the pack at once, as if staff were still there)."""
    state, _ = run(sel.Selection(A), sev.StaffReload(), looked(B))
    state, actions = run(state, sev.PatientLeft())  # staff leave: the kiosk resets
    assert actions == [] and not state.staff_waiting
    state, actions = run(state, passed(B, nobody_reading=False))  # a patient is reading
    assert shown_by(actions) == [] and sev.ReportToStaff() not in actions
    assert state.shown == A and state.next == B
    state, actions = run(state, sev.PatientLeft())
    assert shown_by(actions) == ["b"]


def test_a_roll_back_staff_walked_away_from_waits_for_the_next_reset() -> None:
    state, _ = run(sel.Selection(B), sev.StaffRollback(), sev.PatientLeft())
    state, actions = run(state, sev.RollbackFinished(), looked(A, nobody_reading=False))
    assert actions[-1] == sev.Verify(Path("/store/packs/a")) and not state.staff_waiting
    state, actions = run(state, passed(A, nobody_reading=False))  # a patient is reading
    assert shown_by(actions) == [] and state.shown == B and state.next == A
    state, actions = run(state, sev.PatientLeft())
    assert shown_by(actions) == ["a"]


def test_reload_of_a_damaged_pack_tells_staff_once_the_fallback_is_chosen() -> None:
    state, _ = run(sel.Selection(A), sev.StaffReload(), looked(B), failed(B))
    assert state.staff_waiting
    state, actions = run(state, looked(None))
    assert actions == [sev.ReportToStaff()] and state.shown == A


def test_a_check_running_before_reload_never_wins_later() -> None:
    state, _ = run(sel.Selection(A), looked(B), sev.StaffReload(), looked(C))
    state, actions = run(state, passed(B, nobody_reading=True))
    assert actions == [] and state.checking == C


def test_a_late_check_does_not_undo_a_roll_back() -> None:
    state, _ = run(sel.Selection(A), looked(B))  # b's check runs in the background...
    state, actions = run(state, sev.StaffRollback())  # ...and staff roll back to a
    assert actions == [sev.RollBackStore()]
    state, actions = run(state, sev.RollbackFinished(), looked(A))
    assert actions[-1] == sev.ReportToStaff() and state.checking is None
    state, actions = run(state, passed(B, nobody_reading=True), sev.PatientLeft())
    assert shown_by(actions) == [] and state.shown == A


def test_roll_back_runs_one_at_a_time_and_says_why_it_failed() -> None:
    state, _ = run(sel.Selection(A), sev.StaffRollback())
    state, actions = run(state, sev.StaffRollback())
    assert actions == []
    state, actions = run(state, sev.RollbackFinished("no previous pack"))
    assert actions[0] == sev.RollbackFailed("no previous pack")
    state, actions = run(state, looked(A))
    assert actions == [sev.ReportToStaff()]


def test_staff_are_told_after_their_own_look_while_the_store_settles() -> None:
    state, actions = run(sel.Selection(A), sev.StoreTouched(), sev.StaffReload(), looked(A))
    assert actions[-1] == sev.ReportToStaff() and not state.staff_waiting
    _state, actions = run(state, sev.StoreChanged(), looked(B))  # the settled store, looked at
    assert actions[-1] == sev.Verify(Path("/store/packs/b"))


def test_an_unreadable_store_is_reported_once_and_looked_at_again() -> None:
    state = sel.Selection(A, store_problem="is a dangling link")
    state, actions = run(state, sev.StoreChanged())
    assert actions == [sev.LookAtStore(recheck_root=True, rejected=frozenset())]
    state, actions = run(state, sev.StoreLooked(None, problem="is a dangling link"))
    assert actions == []
    state, actions = run(state, sev.StoreChanged(), sev.StoreLooked(None, problem="is a file"))
    assert actions[-1] == sev.StoreUnreadable("is a file")
    state, actions = run(state, sev.StoreChanged(), looked(B))
    assert actions[-2:] == [sev.StoreReadable(), sev.Verify(Path("/store/packs/b"))]
    assert state.store_problem is None


def test_staff_opening_the_panel_see_a_store_that_came_back() -> None:
    state, actions = run(sel.Selection(A, store_problem="not mounted"), sev.RootChecked(None))
    assert actions == [sev.StoreReadable()] and state.store_problem is None
    assert run(state, sev.RootChecked(None))[1] == []


@dataclass
class World:
    """The store, the verifier and the patients around the machine, as ContentManager
    is around it: every action is carried out, and answered as the kiosk answers it."""

    good: dict[str, bool]
    state: sel.Selection[Pack]
    current: Pack | None = None
    previous: Pack | None = None
    patient: bool = False  # someone is reading (not staff, not idle)
    staff: bool = False
    bundled_loads: bool = True
    checks: list[Path] = field(default_factory=list)
    settling: bool = False
    rolling_back: bool = False
    shown_while_reading: list[str] = field(default_factory=list)
    shown_bad: list[str] = field(default_factory=list)

    def feed(self, event: sev.Event) -> None:
        queue = [event]
        while queue:
            self.state, actions = sel.step(self.state, queue.pop(0))
            for action in actions:
                queue.extend(self.carry_out(action))

    def carry_out(self, action: sev.Action) -> list[sev.Event]:
        idle = not self.patient and not self.staff
        if isinstance(action, sev.Verify):
            self.checks.append(action.folder)
        elif isinstance(action, sev.WaitForStoreToSettle):
            self.settling = True
        elif isinstance(action, sev.LookAtStore):
            return [sev.StoreLooked(self.store_choice(action.rejected), nobody_reading=idle)]
        elif isinstance(action, sev.LoadBundled):
            return [sev.BundledLoaded(BUNDLED if self.bundled_loads else None, idle)]
        elif isinstance(action, sev.RollBackStore):
            self.rolling_back = True
        elif isinstance(action, sev.ShowNow):
            if self.patient:
                self.shown_while_reading.append(action.content.name)
            if not self.good.get(action.content.name, True):
                self.shown_bad.append(action.content.name)
        return []

    def store_choice(self, rejected: frozenset[tuple[str, int]]) -> Pack | None:
        for pack in (self.current, self.previous):
            if pack is not None and (str(pack.folder), 1) not in rejected:
                return pack
        return None

    def install(self, good: bool) -> None:
        pack = installed(f"p{len(self.good)}")  # p0 is there from the start
        self.good[pack.name] = good
        self.current, self.previous = pack, self.current
        self.feed(sev.StoreTouched())

    def finish_check(self) -> None:
        if self.checks:
            folder = self.checks.pop(0)
            if self.good[folder.name]:
                self.feed(sev.CheckPassed(folder, not self.patient and not self.staff))
            else:
                self.feed(sev.CheckFailed(folder, (str(folder), 1), "damaged"))

    def settle(self) -> None:
        if self.settling:
            self.settling = False
            self.feed(sev.StoreChanged())

    def finish_rollback(self) -> None:
        if self.rolling_back:
            self.rolling_back = False
            previous = self.previous
            if previous is None or not self.good[previous.name]:  # as Store.rollback checks
                self.feed(sev.RollbackFinished("cannot roll back"))
            else:
                self.current, self.previous = previous, self.current
                self.feed(sev.RollbackFinished())

    def patient_comes(self) -> None:
        self.patient = self.patient or not self.staff

    def patient_leaves(self) -> None:
        if not self.staff:
            self.patient = False
            self.feed(sev.PatientLeft())

    def staff_open_panel(self) -> None:
        self.patient, self.staff = False, True

    def staff_leave(self) -> None:
        if self.staff:
            self.staff = False
            self.feed(sev.PatientLeft())  # leaving the panel resets the kiosk

    def staff_tap(self, event: sev.Event) -> None:
        if self.staff:  # Reload and Roll back are in the admin panel
            self.feed(event)

    def quiet(self) -> None:
        """Everyone leaves and everything under way ends."""
        self.staff_leave()
        for _ in range(50):
            self.finish_rollback()
            self.settle()
            self.finish_check()
            self.patient_leaves()
        assert not self.checks and not self.settling and not self.rolling_back


THINGS: dict[str, Callable[[World], None]] = {
    "install a good pack": lambda w: w.install(good=True),
    "install a damaged pack": lambda w: w.install(good=False),
    "a check ends": World.finish_check,
    "the store settles": World.settle,
    "a roll back ends": World.finish_rollback,
    "a patient comes": World.patient_comes,
    "a patient leaves": World.patient_leaves,
    "staff open the panel": World.staff_open_panel,
    "staff leave": World.staff_leave,
    "staff tap Reload": lambda w: w.staff_tap(sev.StaffReload()),
    "staff tap Roll back": lambda w: w.staff_tap(sev.StaffRollback()),
}


@settings(max_examples=1000, deadline=None)
@given(
    start_good=st.booleans(),
    bundled_loads=st.booleans(),
    things=st.lists(st.sampled_from(list(THINGS)), max_size=40),
)
def test_in_any_order_of_events_the_kiosk_ends_on_the_newest_good_pack(
    start_good: bool, bundled_loads: bool, things: list[str]
) -> None:
    first = installed("p0")
    world = World({"p0": start_good}, sel.Selection(first), current=first)
    world.bundled_loads = bundled_loads
    world.feed(sev.FirstScreenUp())
    for thing in things:
        THINGS[thing](world)
    world.quiet()
    assert world.shown_while_reading == []  # nothing changes under a reader's eyes
    assert world.shown_bad == []  # a pack that fails its checks never shows
    shown = world.state.shown
    good = [p for p in (world.current, world.previous) if p and world.good[p.name]]
    if good:
        assert shown == good[0]
    elif not world.good.get(shown.name, True):  # still on a damaged pack: nothing else
        assert shown == first and not bundled_loads
    assert world.state.held_folders >= ({shown.folder} - {None})
