"""The contract every layer follows: base class, input adaptation, seeds and draws, the box rule, argument rules."""
