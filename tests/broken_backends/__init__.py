"""Deliberately broken backends: each re-exports the shim and breaks ONE documented behaviour.

They wrap (never patch) the shim, so they can run in the same process as the real one.
`BROKEN` maps each module to the conformance family that must catch it.
"""

BROKEN = {
    "zero_as_none": "unconnected",
    "always_persistent": "persistence",
    "python_float_is_float64": "conversion",
    "reshape_message_changed": "ops_array",
    "int_watch_warning_dropped": "dtypes",
    "sin_gradient_wrong": "ops_math",
    "variable_repr_changed": "printing",
    "watch_accessed_ignored": "watch",
    "stop_gradient_is_identity": "cutoffs",
    "adjust_contrast_differentiable": "registry",
    "flat_gradients": "structures",
    "inner_gradients_unrecorded": "higher_order",
    "gradient_of_source_is_none": "tape_basics",
    "reduce_max_ties_unshared": "ops_reduce",
    "dense_kernel_renamed": "notebooks",
    "custom_gradient_ignored": "custom_gradients",
    "batch_jacobian_unaligned": "jacobians",
    "module_variables_shallow": "modules",
    "gather_gradient_densified": "indexed_slices",
    "function_runs_eagerly": "functions",
    "repeated_source_gradient_once": "gradient_edges",
    "variable_primal_read_once": "forwardprop",
    "reflect_pads_symmetric": "ops_layout",
    "relu6_gradient_at_six": "ops_nn",
    "clip_by_value_ties_to_bound": "ops_elementwise",
    "keras_loss_summed": "keras_training",
    "complex_gradients_unconjugated": "ops_complex",
}
