from credo.visits import classes


def test_classification_answer_first_importance_for_the_rest(world, monkeypatch):
    w = world
    w.north_customer.importance = "scattered"
    w.north_customer.save(update_fields=["importance"])
    monkeypatch.setattr(classes, "_classification_source",
                        lambda: (lambda ids: {w.east_customer.pk: "B", w.east2_customer.pk: "X"}))
    found = classes.classes_for([w.east_customer.pk, w.east2_customer.pk, w.north_customer.pk])
    assert found == {w.east_customer.pk: "B", w.east2_customer.pk: "C", w.north_customer.pk: "D"}


def test_a_failing_classification_falls_back(world, monkeypatch):
    def broken(ids):
        raise RuntimeError("not ready")

    monkeypatch.setattr(classes, "_classification_source", lambda: broken)
    assert classes.classes_for([world.east_customer.pk]) == {world.east_customer.pk: "C"}
