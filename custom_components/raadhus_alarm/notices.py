"""Telling the administrators: a repair issue, and the same words as a notification.

A repair issue is translated by the frontend; a persistent notification is
plain text, so it is rendered here from the same `issues` translations, in
the language Home Assistant is set to. One notice per problem id: raising it
again replaces it, clearing it removes both.
"""

from __future__ import annotations

import logging

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)


def _notification_id(issue_id: str) -> str:
    return f"{DOMAIN}_{issue_id}"


async def async_render(
    hass: HomeAssistant, key: str, placeholders: dict[str, str]
) -> tuple[str, str]:
    """(title, text) of an issue, in Home Assistant's language."""
    strings = await async_get_translations(
        hass, hass.config.language, "issues", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.issues.{key}"
    title = strings.get(f"{prefix}.title", key)
    text = strings.get(f"{prefix}.description", key)
    try:
        return title.format(**placeholders), text.format(**placeholders)
    except KeyError, IndexError, ValueError:
        # A translation with a wrong placeholder must not hide the problem.
        return title, f"{text} {placeholders}"


@callback
def async_raise(
    hass: HomeAssistant,
    issue_id: str,
    key: str,
    placeholders: dict[str, str] | None = None,
    *,
    critical: bool = True,
    notify: bool = True,
    persistent: bool = False,
) -> None:
    """Raise a repair issue (and, by default, a persistent notification)."""
    values = placeholders or {}
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        # Persistent: still shown after a restart (the cause may be gone by then).
        is_persistent=persistent,
        severity=ir.IssueSeverity.CRITICAL if critical else ir.IssueSeverity.ERROR,
        translation_key=key,
        translation_placeholders=values,
    )
    if notify:
        hass.async_create_task(
            _async_notify(hass, issue_id, key, values), f"{DOMAIN} notice {issue_id}"
        )


async def _async_notify(
    hass: HomeAssistant, issue_id: str, key: str, placeholders: dict[str, str]
) -> None:
    title, text = await async_render(hass, key, placeholders)
    if ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None:
        return  # cleared while the text was being looked up
    persistent_notification.async_create(
        hass, text, title=title, notification_id=_notification_id(issue_id)
    )


@callback
def async_clear(hass: HomeAssistant, issue_id: str) -> None:
    """Remove a problem's repair issue and notification (if there are any)."""
    ir.async_delete_issue(hass, DOMAIN, issue_id)
    persistent_notification.async_dismiss(hass, _notification_id(issue_id))
