"""The Đề án screens: the proposal list (:mod:`.page`) and the proposal editor (:mod:`.editor`)."""
