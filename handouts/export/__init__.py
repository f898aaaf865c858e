"""A lesson's quiz questions as files learning platforms import: GIFT and Moodle XML for
Moodle, a QTI 1.2 package for Canvas and Blackboard. The output kinds that write them are
in handouts/outputs/ (gift.py, moodle.py, qti.py)."""
