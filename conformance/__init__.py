"""tfcompat conformance: does a tf-like module behave as TensorFlow does, behaviour by behaviour?"""
