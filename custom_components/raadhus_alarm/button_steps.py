"""Button-flow steps after the button's forms: its model, and the button test.

After the room/name/device form, facilities staff see the model the device
registry says the button is and what that means (how its hold is timed, or
that it alarms on any press), may override the model's figures, and may test
the button: "hold it for 3 seconds now" listens to that device and shows what
arrived, what it would have done, and which model it looks like.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SubentryFlowResult
from homeassistant.helpers import selector
import probatio as vol

from .button_test import (
    ButtonTestResult,
    async_run_button_test,
    describe,
    propose,
    propose_profile,
    would_alarm,
)
from .buttons import mute_keys
from .const import (
    CONF_ALARM_REPORTS,
    CONF_BUTTONS,
    CONF_FIRST_REPORT_DELAY,
    CONF_MODEL,
    CONF_PROFILE,
    CONF_RELEASE_GAP,
    ButtonProfile,
    ButtonSource,
)
from .detection import behaviour_of, detect
from .device_library import (
    AUTO,
    GENERIC_MODEL,
    MAX_DELAY,
    Behaviour,
    ButtonModel,
    Library,
    Overrides,
    behaviour,
    load_library,
)
from .flow_helpers import (
    decimal_mark,
    local_number,
    number_box,
    range_errors,
    range_placeholders,
    suggest,
)
from .hold import Signal
from .model import Button, TownHall, parse_town_hall

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigSubentryFlow

    _Base = ConfigSubentryFlow
else:
    _Base = object

CONF_TEST = "test"
MAX_RELEASE_GAP = 60.0
MIN_RELEASE_GAP = 0.1
OVERRIDE_BOUNDS = {
    CONF_FIRST_REPORT_DELAY: (0.0, MAX_DELAY),
    CONF_RELEASE_GAP: (MIN_RELEASE_GAP, MAX_RELEASE_GAP),
}


class ButtonModelSteps(_Base):
    """Mixed into the button flow: the steps after the button's forms.

    The flow provides the town hall as configured now (`_town_hall`) and
    stores the finished button (`_save_button`).
    """

    _library: Library | None = None
    _pending_button: dict[str, Any] | None = None
    _test_task: asyncio.Task[ButtonTestResult] | None = None
    _test_result: ButtonTestResult | None = None

    async def _async_library(self) -> Library:
        if self._library is None:
            self._library = await self.hass.async_add_executor_job(load_library)
        return self._library

    def _review_button(self, item: dict[str, Any]) -> SubentryFlowResult:
        """The button's forms were valid: on to its model before anything is saved."""
        self._pending_button = item
        return self._model_form()

    if TYPE_CHECKING:
        # Provided by the flow this is mixed into.
        def _town_hall(self) -> TownHall: ...

        def _save_button(self, item: dict[str, Any]) -> SubentryFlowResult: ...

    # -- the model step ----------------------------------------------------

    def _button(self) -> Button:
        assert self._pending_button is not None
        return parse_town_hall({CONF_BUTTONS: [self._pending_button]}).buttons[0]

    def _candidates(self, source: ButtonSource) -> tuple[ButtonModel, ...]:
        assert self._library is not None
        if source is ButtonSource.EVENT:
            return self._library.models  # an event entity of any radio
        return self._library.for_source(source)

    def _behaviour(self) -> Behaviour:
        assert self._library is not None
        return behaviour_of(self.hass, self._library, self._town_hall(), self._button())

    def _model_form(self, errors: dict[str, str] | None = None) -> SubentryFlowResult:
        assert self._library is not None
        assert self._pending_button is not None
        item = self._pending_button
        button = self._button()
        detected = detect(
            self.hass, self._library, button.source, button.device_id, button.entity_id
        )
        current = self._behaviour()
        model = current.model
        options = [
            selector.SelectOptionDict(
                value=AUTO, label=f"{detected.name} ✓" if detected else "—"
            ),
            selector.SelectOptionDict(value=GENERIC_MODEL, label="generic"),
            *(
                selector.SelectOptionDict(
                    value=m.id,
                    # an event entity may be any radio's: say whose model it is
                    label=m.name
                    if m.source is button.source
                    else f"{m.name} ({m.source.value})",
                )
                for m in self._candidates(button.source)
            ),
        ]
        names = sorted(model.reports) if model else []
        chosen = item.get(CONF_MODEL, AUTO)
        if chosen not in {o["value"] for o in options}:
            chosen = AUTO  # a model of another source (the source was changed)
        schema = vol.Schema(
            {
                vol.Required(CONF_MODEL, default=chosen): (
                    selector.SelectSelector(
                        selector.SelectSelectorConfig(
                            options=options, translation_key=CONF_MODEL
                        )
                    )
                ),
                vol.Optional(
                    CONF_FIRST_REPORT_DELAY,
                    description=suggest(item, CONF_FIRST_REPORT_DELAY),
                ): number_box("s", 0.1),
                vol.Optional(
                    CONF_RELEASE_GAP, description=suggest(item, CONF_RELEASE_GAP)
                ): number_box("s", 0.1),
                vol.Optional(
                    CONF_ALARM_REPORTS, description=suggest(item, CONF_ALARM_REPORTS)
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=names, multiple=True, custom_value=True
                    )
                ),
                vol.Optional(CONF_TEST, default=False): selector.BooleanSelector(),
            }
        )
        timing = current.timing
        placeholders = {
            "detected": detected.name if detected else "—",
            "model": model.name if model else "—",
            "delay": local_number(self.hass, round(timing.first_report_delay, 1)),
            "gap": local_number(self.hass, round(timing.release_gap, 1)),
            "repeat": (
                local_number(self.hass, round(model.repeat_interval, 1))
                if model and model.repeat_interval is not None
                else "—"
            ),
            "alarm_reports": ", ".join(model.names(Signal.EMERGENCY)) if model else "—",
            "estimates": ", ".join(sorted(model.estimates)) if model else "—",
            **range_placeholders(self.hass, OVERRIDE_BOUNDS),
        }
        return self.async_show_form(
            step_id="button_model"
            if current.measures_hold
            else "button_model_any_press",
            data_schema=schema,
            errors=errors or {},
            description_placeholders=placeholders,
        )

    async def async_step_button_model(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The detected model, its figures and overrides; test or save."""
        await self._async_library()
        if user_input is None:
            return self._model_form()
        assert self._pending_button is not None
        errors = range_errors(user_input, OVERRIDE_BOUNDS)
        delay = user_input.get(CONF_FIRST_REPORT_DELAY)
        gap = user_input.get(CONF_RELEASE_GAP)
        reports = [
            r.strip() for r in user_input.get(CONF_ALARM_REPORTS, []) if r.strip()
        ]
        chosen = user_input[CONF_MODEL]  # the selector allows listed models only
        self._pending_button = {
            **self._pending_button,
            CONF_MODEL: chosen,
            CONF_FIRST_REPORT_DELAY: None if delay is None else float(delay),
            CONF_RELEASE_GAP: None if gap is None else float(gap),
            CONF_ALARM_REPORTS: reports,
        }
        if errors:
            return self._model_form(errors)
        if user_input.get(CONF_TEST):
            return await self.async_step_button_test()
        return await self.async_step_button_save()

    async def async_step_button_model_any_press(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The same step, for a model that alarms on any press."""
        return await self.async_step_button_model(user_input)

    async def async_step_button_save(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Store the button with its model."""
        assert self._pending_button is not None
        return self._save_button(self._pending_button)

    # -- the button test ---------------------------------------------------

    async def async_step_button_test(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Listen while the button is held; nothing is raised or sent."""
        await self._async_library()
        if self._test_task is None:
            button = self._button()
            # In the background: it waits for the person holding the button,
            # and nothing in Home Assistant should wait for it.
            self._test_task = self.hass.async_create_background_task(
                async_run_button_test(
                    self.hass,
                    button,
                    self._behaviour(),
                    mute_keys(self.hass, button),
                ),
                "raadhus_alarm button test",
            )
        if not self._test_task.done():
            return self.async_show_progress(
                step_id="button_test",
                progress_action="hold_button",
                progress_task=self._test_task,
            )
        self._test_result = self._test_task.result()
        self._test_task = None
        return self.async_show_progress_done(
            next_step_id=f"button_test_{self._test_result.verdict}"
        )

    def _with(
        self, model: ButtonModel | None = None, profile: ButtonProfile | None = None
    ) -> Behaviour:
        """The tested button's behaviour with another model or profile."""
        button = self._button()
        config = self._town_hall()
        unknown = (
            [h.name for h in self._test_result.heard if h.signal is None]
            if profile is ButtonProfile.SINGLE_SHOT and self._test_result
            else []
        )
        return behaviour(
            button.source,
            profile or button.profile,
            model,
            config.threshold_for(button),
            Overrides(
                button.first_report_delay,
                button.release_gap,
                (*button.alarm_reports, *unknown),
            ),
        )

    def _test_menu(self, verdict: str) -> SubentryFlowResult:
        assert self._test_result is not None
        assert self._library is not None
        result = self._test_result
        button = self._button()
        detected = detect(
            self.hass, self._library, button.source, button.device_id, button.entity_id
        )
        candidates = tuple(
            m for m in (detected, *self._candidates(button.source)) if m is not None
        )
        proposal = propose(self._library, result, candidates)
        now = self._behaviour()
        current = now.model

        def keeps(other: Behaviour) -> bool:
            """Whatever is offered must keep an alarm the current set-up raises."""
            return result.alarm_after is None or would_alarm(result, other)

        offer = (
            proposal
            if proposal is not None
            and proposal is not current
            and keeps(self._with(model=proposal))
            else None
        )
        options = ["button_save", "button_test", "button_model"]
        if offer is not None:
            options.insert(0, "button_use_proposal")
        elif (
            proposal is None
            and current is None
            and button.source is not ButtonSource.BINARY_SENSOR
        ):
            # No model explains the reports: their pattern suggests a profile.
            # A profile only times names the generic table knows; a lone
            # unknown frame can still become the alarm (see _use_profile).
            profile = propose_profile(result)
            known = all(h.signal is not None for h in result.heard)
            if (
                profile is not None
                and (known or profile is ButtonProfile.SINGLE_SHOT)
                and (profile is not now.profile or not known)
                and keeps(self._with(profile=profile))
            ):
                options.insert(0, f"button_use_{profile}")
        self._proposal = offer
        return self.async_show_menu(
            step_id=f"button_test_{verdict}",
            menu_options=options,
            description_placeholders={
                "heard": describe(result, decimal_mark(self.hass)),
                "alarm_after": (
                    local_number(self.hass, result.alarm_after, 2)
                    if result.alarm_after is not None
                    else "—"
                ),
                "held": (
                    local_number(self.hass, result.alarm_held, 2)
                    if result.alarm_held
                    else "—"
                ),
                "shorts": ", ".join(f"{s:.2f} s" for s in result.short_presses) or "—",
                "proposal": proposal.name if proposal else "—",
                "model": current.name if current else "—",
            },
        )

    _proposal: ButtonModel | None = None

    async def async_step_button_test_alarm(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The test hold would have raised an alarm."""
        return self._test_menu("alarm")

    async def async_step_button_test_short_press(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The button spoke, but it would not have raised an alarm."""
        return self._test_menu("short_press")

    async def async_step_button_test_nothing(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Nothing was heard from the button."""
        return self._test_menu("nothing")

    async def async_step_button_use_proposal(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Take the model the test suggested, and look at it again."""
        assert self._pending_button is not None
        assert self._proposal is not None  # offered only with a proposal
        self._pending_button = {**self._pending_button, CONF_MODEL: self._proposal.id}
        return self._model_form()

    def _use_profile(self, profile: ButtonProfile) -> SubentryFlowResult:
        assert self._pending_button is not None
        item = {**self._pending_button, CONF_PROFILE: profile.value}
        if profile is ButtonProfile.SINGLE_SHOT:
            # Offered only after a test heard the button. Its frame means
            # nothing to the generic table: name it an alarm.
            assert self._test_result is not None
            unknown = [h.name for h in self._test_result.heard if h.signal is None]
            item[CONF_ALARM_REPORTS] = sorted(
                {*item.get(CONF_ALARM_REPORTS, []), *unknown}
            )
        self._pending_button = item
        return self._model_form()

    async def async_step_button_use_press_release(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Time this (unknown) button as press and release."""
        return self._use_profile(ButtonProfile.PRESS_RELEASE)

    async def async_step_button_use_repeated_held(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Time this (unknown) button by its repeated "held" reports."""
        return self._use_profile(ButtonProfile.REPEATED_HELD)

    async def async_step_button_use_single_shot(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Take any report of this (unknown) button as the alarm."""
        return self._use_profile(ButtonProfile.SINGLE_SHOT)
