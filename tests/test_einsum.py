"""tf.einsum: TF's pairwise contraction order (opt_einsum's path), the Einsum kernel's half-precision
rounding, TF's gradients for complex operands, and TF's errors for three or more operands."""

from __future__ import annotations

import numpy as np
import opt_einsum
import pytest

import shim as tf
from shim.ops import einsum_ops

# TF 2.21's float16 results (bits) for these operands: the forward value, then the gradient of
# sum(out**2) for each operand (recorded with tensorflow-cpu 2.21.0 on x86-64).
SHAPES = {
    "ij,jk,kl->il": [(3, 4), (4, 2), (2, 5)],
    "ij,jk,kl,lm->im": [(2, 3), (3, 9), (9, 2), (2, 3)],
    "abc,cd,db->a": [(3, 3, 4), (4, 2), (2, 3)],
    "ij,jk->ik": [(3, 9), (9, 10)],
    "abc->a": [(2, 3, 5)],
}
TF_BITS = {
    "ij,jk,kl->il": [
        [47864, 13985, 15431, 14339, 6080, 49712, 15112, 17408, 16077, 47385, 17309, 48548, 50383, 49222, 14035],
        [
            [13790, 51601, 19100, 51734, 15574, 53497, 20945, 53611, 48680, 21018, 54063, 21160],
            [52330, 52194, 20949, 20870, 20560, 20504, 21419, 21298],
            [19426, 50580, 52481, 51304, 16412, 20596, 51698, 53678, 52468, 17768],
        ],
    ],
    "ij,jk,kl,lm->im": [
        [51610, 51283, 51352, 50433, 50289, 50199],
        [
            [22977, 23965, 22251, 21855, 22838, 21126],
            [
                49276,
                53910,
                20906,
                20556,
                49342,
                18634,
                53603,
                49476,
                19520,
                52164,
                55904,
                22923,
                22564,
                51928,
                20489,
                55646,
                52518,
                21753,
                14536,
                20468,
                52938,
                52535,
                15232,
                50769,
                20064,
                14096,
                51295,
            ],
            [
                22900,
                21166,
                21638,
                19905,
                55514,
                53572,
                52746,
                51074,
                22456,
                20419,
                52624,
                50866,
                22183,
                20195,
                53522,
                50966,
                55278,
                53222,
            ],
            [23410, 23014, 23066, 19521, 19101, 19194],
        ],
    ],
    "abc,cd,db->a": [
        [47412, 17812, 51418],
        [
            [
                15997,
                14810,
                15024,
                48083,
                48936,
                47571,
                48273,
                16320,
                16136,
                14811,
                15439,
                48873,
                51957,
                50758,
                50987,
                18482,
                19372,
                17982,
                18662,
                52263,
                52106,
                50759,
                51359,
                19304,
                19981,
                18805,
                19005,
                52045,
                52908,
                51566,
                52290,
                20282,
                20110,
                18805,
                19460,
                52849,
            ],
            [53693, 21946, 52567, 21480, 52014, 20820, 21163, 54742],
            [49036, 52546, 18395, 54444, 21544, 54316],
        ],
    ],
    "ij,jk->ik": [
        [
            13768,
            47852,
            16187,
            17488,
            48725,
            16450,
            48167,
            48848,
            46804,
            49387,
            50620,
            17226,
            47040,
            16077,
            14292,
            16335,
            46336,
            16256,
            48867,
            48244,
            15604,
            16196,
            11312,
            48068,
            17061,
            47426,
            13696,
            15589,
            47284,
            13608,
        ],
        [
            [
                51600,
                52730,
                20296,
                48016,
                17968,
                51470,
                19100,
                18793,
                50744,
                17848,
                52409,
                19247,
                53127,
                50962,
                19514,
                51708,
                49855,
                51674,
                18397,
                18581,
                52094,
                52065,
                16882,
                17342,
                50088,
                18228,
                48422,
            ],
            [
                51317,
                18763,
                50438,
                51283,
                18553,
                49471,
                16583,
                18537,
                49492,
                17506,
                18798,
                50280,
                49144,
                51551,
                17164,
                51069,
                16623,
                43936,
                17199,
                17988,
                52063,
                17066,
                15982,
                19001,
                51151,
                18559,
                49659,
                47744,
                49869,
                50936,
                19306,
                51847,
                14405,
                50541,
                50619,
                50606,
                15066,
                50841,
                17953,
                17336,
                17470,
                50616,
                47516,
                49780,
                50120,
                49429,
                14397,
                49426,
                16828,
                16536,
                51392,
                18676,
                50503,
                51298,
                18352,
                49460,
                16573,
                18495,
                49334,
                17549,
                19419,
                50894,
                16807,
                48805,
                16502,
                50032,
                13632,
                50224,
                16830,
                15269,
                19334,
                49958,
                16474,
                49892,
                17972,
                50286,
                15152,
                48990,
                16259,
                16076,
                17382,
                14074,
                49394,
                51268,
                17576,
                50442,
                16422,
                16592,
                15670,
                17608,
            ],
        ],
    ],
    "abc->a": [
        [49024, 48992],
        [
            [
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50048,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
                50016,
            ]
        ],
    ],
}


def _halves(shape, seed):
    rng = np.random.default_rng(seed)
    return (rng.integers(-48, 49, shape) / 32).astype(np.float16)


@pytest.mark.parametrize("equation", list(SHAPES))
def test_float16_values_and_gradients_are_tfs_bit_for_bit(equation):
    i = list(SHAPES).index(equation)
    xs = [tf.constant(_halves(s, 10 * i + j)) for j, s in enumerate(SHAPES[equation])]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = tf.einsum(equation, *xs)
        loss = tf.reduce_sum(out * out)
    grads = tape.gradient(loss, xs)
    want_out, want_grads = TF_BITS[equation]
    assert out.numpy().view(np.uint16).reshape(-1).tolist() == want_out
    assert [g.numpy().view(np.uint16).reshape(-1).tolist() for g in grads] == want_grads


def test_three_operands_contract_pairwise_in_opt_einsums_order():
    """The result is the chain of two-operand einsums opt_einsum's greedy path names (not numpy's
    left-to-right order, which rounds differently in float16)."""
    equation, shapes = "ij,jk,kl->il", [(7, 2), (2, 9), (9, 3)]
    arrays = [_halves(s, k) for k, s in enumerate(shapes)]
    _, steps = opt_einsum.contract_path(equation, *arrays, optimize="greedy", einsum_call=True, use_blas=True)
    operands = [tf.constant(a) for a in arrays]
    for step in steps:
        pair = [operands.pop(k) for k in step[0]]
        operands.append(tf.einsum(step[2], *pair))
    assert steps[0][0] == (2, 1)  # the last two operands first
    np.testing.assert_array_equal(tf.einsum(equation, *[tf.constant(a) for a in arrays]).numpy(), operands[0].numpy())


def test_the_path_is_asked_as_tf_asks_it(monkeypatch):
    """TF's call: resolved shapes (an ellipsis one label of its dims' product), greedy unless optimize
    says otherwise, einsum_call and use_blas; cached per equation and shapes."""
    calls = []
    real = opt_einsum.contract_path

    def spy(equation, *shaped, **kwargs):
        calls.append((equation, [s.shape for s in shaped], kwargs))
        return real(equation, *shaped, **kwargs)

    monkeypatch.setattr(einsum_ops.opt_einsum, "contract_path", spy)
    einsum_ops._contract_path.cache_clear()
    x, y, z = tf.ones((5, 1, 2, 3)), tf.ones((3, 4)), tf.ones((4, 2))
    tf.einsum("...ij,jk,kl->...il", x, y, z)
    tf.einsum("...ij,jk,kl->...il", x, y, z)
    tf.einsum("ij,jk,kl->il", tf.ones((2, 3)), y, z, optimize="optimal")
    assert calls == [
        ("0ij,jk,kl->0il", [(5, 2, 3), (3, 4), (4, 2)], {"optimize": "greedy", "einsum_call": True, "use_blas": True}),
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)], {"optimize": "optimal", "einsum_call": True, "use_blas": True}),
    ]
    einsum_ops._contract_path.cache_clear()


def _complex(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, shape) + 1j * rng.uniform(-1, 1, shape)


@pytest.mark.parametrize(
    "equation,shapes",
    [
        ("i,j->ij", [(2,), (3,)]),
        ("ij,jk->ik", [(2, 3), (3, 2)]),
        ("...ij,...jk->...ik", [(2, 1, 2, 3), (2, 3, 2)]),
        ("ij,j->i", [(2, 3), (3,)]),
        ("ijk,kj->i", [(2, 3, 2), (2, 3)]),
        ("ii,ij->j", [(3, 3), (3, 2)]),
        ("ij->ji", [(2, 3)]),
        ("iij->j", [(2, 2, 3)]),
        ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ],
)
def test_complex_gradients_are_tfs_conjugated_ones(equation, shapes):
    """For out = einsum(x, ...) and upstream g, TF's gradient is d/dre + i d/dim of Re(sum(conj(g) out))."""
    args = [_complex(s, k) for k, s in enumerate(shapes)]
    xs = [tf.Variable(a) for a in args]
    with tf.GradientTape() as tape:
        out = tf.einsum(equation, *xs)
    g = _complex(out.shape, 99)
    grads = tape.gradient(out, xs, output_gradients=tf.constant(g))

    def loss(values):
        return float(np.real(np.sum(np.conj(g) * tf.einsum(equation, *map(tf.constant, values)).numpy())))

    step = 1e-6
    for k, arg in enumerate(args):
        numeric = np.zeros_like(arg)
        for index in np.ndindex(arg.shape):
            for unit in (1, 1j):
                moved = [a.copy() for a in args]
                moved[k][index] += unit * step
                up = loss(moved)
                moved[k][index] -= 2 * unit * step
                numeric[index] += unit * (up - loss(moved)) / (2 * step)
        np.testing.assert_allclose(grads[k].numpy(), numeric, rtol=1e-6, atol=1e-8)


def test_complex_variables_outer_product():
    """The brief's example: tf.einsum('i,j->ij', a, b) on complex Variables; gradients conj(sum(b)), conj(sum(a))."""
    a, b = tf.Variable([1 + 2j, 3 - 1j]), tf.Variable([2 - 1j, -1j, 0.5 + 0j])
    with tf.GradientTape() as tape:
        out = tf.einsum("i,j->ij", a, b)
    ga, gb = tape.gradient(out, [a, b])
    np.testing.assert_array_equal(ga.numpy(), np.full(2, np.conj(np.sum(b.numpy()))))
    np.testing.assert_array_equal(gb.numpy(), np.full(3, np.conj(np.sum(a.numpy()))))


@pytest.mark.parametrize(
    "call,cls,text",
    [
        (
            lambda: tf.einsum("ij,jk,kl->il", tf.ones((2, 3)), tf.ones((3, 4, 1)), tf.ones((4, 5))),
            ValueError,
            "Number of named labels in input #1 of equation ij,jk,kl->il must be equal to the number of "
            "dimensions in shape [3, 4, 1]",
        ),
        (
            lambda: tf.einsum("...ijk,jk,k->...i", tf.ones((2, 3)), tf.ones((3, 4)), tf.ones((4,))),
            ValueError,
            "Too many named labels in 0th subscript string of equation ...ijk,jk,k->...i for input shape [2, 3] ",
        ),
        (
            lambda: tf.einsum("ij,jk,kl->il", tf.ones((2, 3)), tf.ones((4, 4)), tf.ones((4, 5))),
            tf.errors.InvalidArgumentError,
            "{{function_node __wrapped__Einsum_N_2_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
            "Expected dimension 4 at axis 1 of the input shaped [2,3] but got dimension 3 [Op:Einsum] name: ",
        ),
    ],
)
def test_three_operand_errors_are_tfs(call, cls, text):
    with pytest.raises(cls) as info:
        call()
    assert str(info.value) == text
