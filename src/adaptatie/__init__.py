"""adaptatie: regional climate-adaptation dashboard for Dutch water cooperations."""

__version__ = "0.1.0"
