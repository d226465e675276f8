"""What the analyses explain when no outcome is named (kept free of imports, so that the CLI
can show it in ``--help`` without loading the analyses).

The choice of the Imperial Conference of 2 July 1941, where the Army's case for the north was
heard and set aside (POL-03, POL-15; T8): the question "why not north?" asked where it was
decided.  The first offensive (``decision``) is southern in all but a few runs in a thousand
of the historical scenario, so as a default it would give every factor a share of about zero.
"""

DEFAULT_OUTCOME = "conference_2_choice == 'north'"
