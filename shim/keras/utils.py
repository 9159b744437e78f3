"""`tf.keras.utils`: the progress bar that fit, evaluate and predict print."""

from __future__ import annotations

import math
import sys
import time

import numpy as np

_GREEN, _WHITE, _BOLD, _RESET = "\x1b[32m", "\x1b[37m", "\x1b[1m", "\x1b[0m"


class Progbar:
    """Keras' progress bar: a redrawn line (verbose=1) or one line per finished run (verbose=2).

    Metric values are shown as given (fit passes running means already); the line is
    redrawn at most every `interval` seconds and always when the target is reached.
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, unit_name="step"):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self._values: dict = {}
        self._start = time.time()
        self._last_update = 0.0
        self._after_first_step = None
        self._prev_width = 0

    def _step_time(self, current, now):
        if not current:
            return 0.0
        if self._after_first_step is not None and current > 1:
            per_step = (now - self._after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._after_first_step = now
        return per_step

    def _time_text(self, per_step):
        if per_step >= 1 or per_step == 0:
            return f" {per_step:.0f}s/{self.unit_name}"
        if per_step >= 1e-3:
            return f" {per_step * 1000.0:.0f}ms/{self.unit_name}"
        return f" {per_step * 1000000.0:.0f}us/{self.unit_name}"

    def _metrics_text(self, signed=True):
        text = ""
        for name, value in self._values.items():
            value = float(np.mean(value))
            small = abs(value) > 1e-3 if signed else value > 1e-3
            text += f" - {name}: {value:.4f}" if small else f" - {name}: {value:.4e}"
        return text

    def update(self, current, values=None, finalize=None):
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            self._values[name] = value
        now = time.time()
        per_step = self._step_time(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            digits = int(math.log10(self.target)) + 1
            done = int(self.width * current / self.target)
            bar = f"{_BOLD}{current:{digits}d}/{self.target}{_RESET} "
            hidden = 8
            if done > 0:
                bar += f"{_GREEN}{'━' * done}{_RESET}"
                hidden += 9
            bar += f"{_WHITE}{'━' * (self.width - done)}{_RESET}"
            hidden += 9
            if finalize:
                info = f" {_BOLD}{now - self._start:.0f}s{_RESET}"
            else:
                info = f" {_BOLD}{_eta_text(per_step * (self.target - current))}{_RESET}"
            hidden += 8
            info += self._time_text(per_step) + self._metrics_text()
            width = len(bar) + len(info) - hidden
            message = "\b" * self._prev_width + "\r" + bar + info
            if self._prev_width > width:
                message += " " * (self._prev_width - width)
            if finalize:
                message += "\n"
            sys.stdout.write(message)
            sys.stdout.flush()
            self._prev_width = width
        elif self.verbose == 2 and finalize:
            digits = int(math.log10(self.target)) + 1
            line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -{self._time_text(per_step)}"
            sys.stdout.write(line + self._metrics_text(signed=False) + "\n")
            sys.stdout.flush()
        self._last_update = now


def _eta_text(eta):
    if eta > 3600:
        return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
    if eta > 60:
        return "%d:%02d" % (eta // 60, eta % 60)
    return "%ds" % eta
