"""The entry floor: the command line and the app launcher, the one place that composes the
core (``editor``), the assistant (``assist``) and the window (``widgets``)."""
