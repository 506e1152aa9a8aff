"""One automatic config entry, created from the YAML section (demo only)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from .const import DOMAIN


class RaadhusDemoConfigFlow(ConfigFlow, domain=DOMAIN):
    """Created by async_setup from ``raadhus_demo:`` in configuration.yaml."""

    VERSION = 1

    async def async_step_import(self, import_data: dict[str, Any]) -> ConfigFlowResult:
        """Create the single entry that owns the demo devices."""
        return self.async_create_entry(title="Demo-hardware (simuleret)", data={})

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Refuse: the demo hardware is YAML-only."""
        return self.async_abort(reason="yaml_only")
