"""Custom integrations of this repository (Home Assistant loads them from here)."""
