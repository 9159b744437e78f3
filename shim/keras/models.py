"""Keras models: `Model` (subclassed or functional), `Sequential`, and their training loop.

compile/fit/evaluate/predict follow Keras 3's TF trainer step by step: each batch runs
the model with training=True under a tape, the compiled loss ("sum_over_batch_size"),
a running mean of the loss weighted by batch size, one optimizer step, then the
compiled metrics on that batch's predictions; logs are sorted by name, validation
logs follow with a 'val_' prefix.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.tape import GradientTape
from .._core.tensor import convert_to_tensor, is_tensor
from . import backend, callbacks as callbacks_module, losses, metrics as metrics_module, optimizers
from .layers import InputLayer, KerasTensor, Layer, _Scope
from .summary import print_summary
from .utils import Progbar


class Model(Layer):
    """A layer with training: subclass it and write `call`, or give it `inputs` and `outputs`."""

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs):
            return object.__new__(Functional)
        return object.__new__(cls)

    def __init__(self, *args, name=None, trainable=True, **kwargs):
        super().__init__(name=name or backend.unique_name(_model_name(type(self))), trainable=trainable)
        self.built = False  # a subclassed model builds on its first call
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.history = None
        self._loss_tracker = None
        self._metric_ids: list = []
        self._metrics: list | None = None

    @property
    def layers(self) -> list:
        return list(self._sublayers)

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        print_summary(self, print_fn)

    # -- compile -----------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs):
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._loss_fn = _compiled_loss(loss)
        self._metric_ids = list(metrics) if isinstance(metrics, (list, tuple)) else ([metrics] if metrics else [])
        self._metrics = None  # made on the first batch: 'accuracy' depends on the shapes
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.compiled = True

    @property
    def metrics(self) -> list:
        tracked = [self._loss_tracker] if self._loss_tracker is not None else []
        return tracked + list(self._metrics or [])

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def _ensure_metrics(self, y, y_pred):
        if self._metrics is None:
            self._metrics = [metrics_module.for_compile(m, convert_to_tensor(y), y_pred) for m in self._metric_ids]

    def _reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def _logs(self) -> dict:
        """The current results, sorted by name, as Python floats (Keras pythonifies its logs so)."""
        results = {m.name: float(m.result().numpy()) for m in self.metrics}
        return dict(sorted(results.items()))

    def _check_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    # -- steps -------------------------------------------------------------------------
    def train_step(self, x, y):
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._loss_fn(y, y_pred)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        weights = self.trainable_variables
        grads = tape.gradient(loss, weights)
        self.optimizer.apply_gradients(zip(grads, weights))
        self._update_metrics(y, y_pred)

    def test_step(self, x, y):
        y_pred = self(x, training=False)
        loss = self._loss_fn(y, y_pred)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        self._update_metrics(y, y_pred)

    def _update_metrics(self, y, y_pred):
        self._ensure_metrics(y, y_pred)
        for metric in self._metrics:
            metric.update_state(y, y_pred)

    # -- loops -------------------------------------------------------------------------
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        initial_epoch=0,
        **kwargs,
    ):
        self._check_compiled()
        verbose = 1 if verbose == "auto" else verbose
        x, y = _arrays(x), _arrays(y)
        if validation_split and validation_data is None:
            split = int(len(x) * (1.0 - validation_split))
            x, validation_data, y = x[:split], (x[split:], y[split:]), y[:split]
        batch_size = batch_size or 32
        steps = math.ceil(len(x) / batch_size)
        history = callbacks_module.History()
        hooks = [history] + list(callbacks or [])
        for hook in hooks:
            hook.set_model(self)
            hook.set_params({"verbose": verbose, "epochs": epochs, "steps": steps})
            hook.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            for hook in hooks:
                hook.on_epoch_begin(epoch)
            if verbose and epochs > 1:
                print(f"Epoch {epoch + 1}/{epochs}")
            bar = Progbar(steps, verbose=verbose) if verbose else None
            self._reset_metrics()
            order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
            for step in range(steps):
                rows = order[step * batch_size : (step + 1) * batch_size]
                for hook in hooks:
                    hook.on_train_batch_begin(step)
                self.train_step(_rows(x, rows, shuffle), _rows(y, rows, shuffle))
                logs = self._logs()
                for hook in hooks:
                    hook.on_train_batch_end(step, logs)
                if bar is not None:
                    bar.update(step + 1, list(logs.items()), finalize=False)
            epoch_logs = self._logs()
            if validation_data is not None:
                val_x, val_y = validation_data[0], validation_data[1]
                val_logs = self.evaluate(val_x, val_y, batch_size=batch_size, verbose=0, return_dict=True)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            if bar is not None:
                bar.update(steps, list(epoch_logs.items()), finalize=True)
            for hook in hooks:
                hook.on_epoch_end(epoch, epoch_logs)
        for hook in hooks:
            hook.on_train_end()
        self.history = history
        return history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", return_dict=False, **kwargs):
        self._check_compiled()
        verbose = 1 if verbose == "auto" else verbose
        x, y = _arrays(x), _arrays(y)
        batch_size = batch_size or 32
        steps = math.ceil(len(x) / batch_size)
        bar = Progbar(steps, verbose=verbose) if verbose else None
        self._reset_metrics()
        for step in range(steps):
            rows = slice(step * batch_size, (step + 1) * batch_size)
            self.test_step(x[rows], y[rows])
            if bar is not None:
                bar.update(step + 1, list(self._logs().items()), finalize=False)
        logs = self._logs()
        if bar is not None:
            bar.update(steps, list(logs.items()), finalize=True)
        if return_dict:
            return logs
        ordered = [logs[name] for name in self.metrics_names]
        return ordered[0] if len(ordered) == 1 else ordered

    def predict(self, x, batch_size=None, verbose="auto", **kwargs):
        verbose = 1 if verbose == "auto" else verbose
        x = _arrays(x)
        batch_size = batch_size or 32
        steps = math.ceil(len(x) / batch_size)
        bar = Progbar(steps, verbose=verbose) if verbose else None
        outputs = []
        for step in range(steps):
            outputs.append(self(x[step * batch_size : (step + 1) * batch_size], training=False).numpy())
            if bar is not None:
                bar.update(step + 1, finalize=step + 1 == steps)
        return np.concatenate(outputs)


def _model_name(cls) -> str:
    from .layers import _snake

    return _snake(cls.__name__)


def _compiled_loss(loss):
    if loss is None:
        return None
    fn = losses.get(loss)
    if isinstance(fn, losses.Loss):
        return fn
    return losses.LossFunctionWrapper(fn, name=getattr(fn, "__name__", None))


def _arrays(data):
    if data is None:
        return None
    if is_tensor(data):
        return data.numpy()
    return np.asarray(data)


def _rows(data, rows, shuffled):
    return data[rows] if shuffled else data[rows[0] : rows[-1] + 1]


def _batch_size(x):
    return x.shape[0]


class Functional(Model):
    """A model from symbolic inputs to outputs: the layer calls between them, replayed in order."""

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name or backend.unique_name("functional"), trainable=trainable)
        self._inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._outputs_struct = outputs
        outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        self._nodes = _nodes_to(outs)
        for layer in self._ordered_layers():
            self._sublayers.append(layer)
        self.built = True
        self._output_shape = outs[0].shape

    def _ordered_layers(self) -> list:
        found: list = []
        for layer, _, _ in self._nodes:
            if all(layer is not known for known in found):
                found.append(layer)
        return found

    @property
    def inputs(self):
        return list(self._inputs)

    @property
    def outputs(self):
        outs = self._outputs_struct
        return list(outs) if isinstance(outs, (list, tuple)) else [outs]

    def _check_input(self, shape, index=0):
        pass

    def call(self, inputs, training=False):
        values = {}
        given = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        for tensor, value in zip(self._inputs, given):
            values[id(tensor)] = value
        for layer, source, out in self._nodes:
            if source is None:
                continue
            layer_in = values[id(source)]
            values[id(out)] = layer(layer_in, training=training) if layer._takes_training() else layer(layer_in)
        if isinstance(self._outputs_struct, (list, tuple)):
            return type(self._outputs_struct)(values[id(o)] for o in self._outputs_struct)
        return values[id(self._outputs_struct)]


def _nodes_to(outputs) -> list:
    """(layer, input tensor, output tensor) of every call that leads to `outputs`, inputs first."""
    ordered, seen = [], set()

    def visit(tensor: KerasTensor):
        if id(tensor) in seen:
            return
        seen.add(id(tensor))
        layer, source = tensor._producer
        if source is not None:
            visit(source)
        ordered.append((layer, source, tensor))

    for out in outputs:
        visit(out)
    return ordered


class Sequential(Model):
    """A stack of layers, each called on the previous one's output."""

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(name=name or backend.unique_name("sequential"), trainable=trainable)
        self._input_tensor = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        if self._sublayers:
            self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor) and isinstance(layer._producer[0], InputLayer):
            self._input_tensor = layer
            return
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer} (of type {type(layer)})"
            )
        self._sublayers.append(layer)
        if self._input_tensor is None and len(self._sublayers) == 1 and layer._input_shape_arg is not None:
            self._input_tensor = InputLayer(layer._input_shape_arg).output
        if rebuild:
            self._maybe_rebuild()

    def _maybe_rebuild(self):
        if self._input_tensor is not None:
            self._build_symbolically()

    def _build_symbolically(self):
        """Keras rebuilds a Sequential as a functional model (taking a 'functional' name) each time."""
        backend.get_uid("functional")
        tensor = self._input_tensor
        with _Scope(self.name):
            for layer in self._sublayers:
                tensor = layer(tensor)
        self.built = True
        self._output_shape = tensor.shape

    def _check_input(self, shape, index=0):
        pass

    def build(self, input_shape=None):
        """Built by a first call: an input of that batch shape, then a symbolic pass."""
        if self._input_tensor is None and self._sublayers:
            self._input_tensor = InputLayer(batch_size=input_shape[0], shape=input_shape[1:]).output
            self._build_symbolically()
        self.built = True

    def call(self, inputs, training=False):
        outputs = inputs
        for layer in self._sublayers:
            outputs = layer(outputs, training=training) if layer._takes_training() else layer(outputs)
        return outputs

    def pop(self):
        return self._sublayers.pop()
