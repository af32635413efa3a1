"""Pure parts: functions and classes on their own, no subprocess, server or browser; fast."""
