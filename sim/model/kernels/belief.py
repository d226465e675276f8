"""Japan's perceived Soviet combat power per man (IJA = 1) through the border wars of 1938-39.

Pure arithmetic (docs/model.md §1b, §2).  A battle is evidence about Soviet power; the belief
moves from where it stands towards the evidence by a learning rate
(:func:`move_towards`, the rule :func:`sim.model.kernels.decision.nomonhan_belief` applies to
Khalkhin Gol).  Two readings of the same casualty exchange are possible, and the record has
both for Khasan (:func:`khasan_evidence`): casualty totals read 'by the books' (KH-08: the
Soviets lost 2.8 men per Japanese, so the Soviet soldier lacks initiative) or casualties per
man (KH-10: three Soviets to one Japanese fought about even, unexpected strength).  Nomonhan
then overturned the Khasan reading (:func:`nomonhan_prior`).
"""

from __future__ import annotations

#: The lowest belief the model allows (the floor of ``nomonhan_belief``): Soviet power is
#: never believed to be nothing.
FLOOR = 0.05


def move_towards(belief: float, learning_rate: float, evidence: float) -> float:
    """``belief + learning_rate x (evidence - belief)``, floored at :data:`FLOOR`.

    With ``learning_rate`` in [0, 1] the result lies between ``belief`` and ``evidence``.
    """
    moved = belief + learning_rate * (evidence - belief)
    return moved if moved > FLOOR else FLOOR


def khasan_evidence(japanese_casualties: float, soviet_casualties: float,
                    japanese_men: float, soviet_men: float, numbers_weight: float) -> float:
    """Soviet power per man as Japan read Khasan's casualty exchange.

        evidence = (Japanese casualties / Soviet casualties) x (Soviet men / Japanese men) ^ w

    ``w = numbers_weight``: 0 reads the totals alone (KH-08's 'victory by the books': 1,439
    Japanese for 4,071 Soviet casualties is 0.35), 1 reads them per man (the rule Khalkhin Gol's
    update uses: 22,950 Soviets against 7,000 Japanese make it 1.16, KH-10).  Without Soviet
    casualties the battle is no evidence of Soviet weakness: the per-man reading of 1 is used.
    """
    if soviet_casualties <= 0.0 or japanese_men <= 0.0:
        return 1.0
    exchange = japanese_casualties / soviet_casualties
    if soviet_men <= 0.0 or numbers_weight == 0.0:
        return exchange
    return exchange * (soviet_men / japanese_men) ** numbers_weight


def khasan_belief(prior: float, learning_rate: float, japanese_casualties: float,
                  soviet_casualties: float, japanese_men: float, soviet_men: float,
                  numbers_weight: float) -> float:
    """Perceived Soviet power per man after Khasan: the 1938 prior moved towards
    :func:`khasan_evidence`.  Below the prior when the reading confirms the low view (KH-08),
    above it when it reads Soviet strength (KH-09, KH-10)."""
    return move_towards(prior, learning_rate,
                        khasan_evidence(japanese_casualties, soviet_casualties, japanese_men,
                                        soviet_men, numbers_weight))


def nomonhan_prior(prior_1938: float, after_khasan: float, overturned: float,
                   soviet_won: bool) -> float:
    """Where Khalkhin Gol's update starts: the belief after Khasan, with the share
    ``overturned`` of Khasan's lesson undone if the Soviets won.

    KH-08's lesson was that Red Army units cannot co-ordinate envelopments; Zhukov's
    encirclement of the 23rd Division (KG-25) refuted exactly that, so a Soviet victory
    returns the belief towards the 1938 prior before the Nomonhan evidence is weighed.  A
    Japanese success confirms the lesson, which stands whole.
    """
    if not soviet_won:
        return after_khasan
    return overturned * prior_1938 + (1.0 - overturned) * after_khasan  # exact at 0 and 1
