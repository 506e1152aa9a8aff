"""Every flow aborts: Radio Browser is off in the demo."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult


class RadioBrowserOffFlow(ConfigFlow, domain="radio_browser"):
    """Abort onboarding's (and the user's) Radio Browser flow."""

    VERSION = 1

    async def async_step_onboarding(
        self, data: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Do not set up Radio Browser during onboarding."""
        return self.async_abort(reason="not_in_demo")

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Radio Browser is not available in the demo."""
        return self.async_abort(reason="not_in_demo")
