"""Relation patterns and hedge detection (issues #5 and #6)."""

import numpy
import pytest

from pipeline.nlp.hedges import hedge_cue


def relations(nlp, text):
    doc = nlp(text)
    names = {e["index"]: e["name"] for e in doc._.crimeie_entities}
    return {(names[r["head"]], r["label"], names[r["tail"]], r["hedged"]) for r in doc._.crimeie_relations}


@pytest.mark.parametrize("text,expected", [
    ("Héctor Guerrero Flores, the leader of the Tren de Aragua, escaped.", ("Héctor Guerrero Flores", "LEADER_OF", "Tren de Aragua", False)),
    ("Violence surged in Cúcuta, Colombia.", ("Cúcuta", "LOCATED_IN", "Colombia", False)),
    # The name does not open the text: the NER retrained on 80 articles cuts `Adolfo` from a
    # one-sentence document that starts with it, which is the NER's miss, not this pattern's.
    ("Officials said Adolfo Macías was arrested by the Policía Nacional in January.",
     ("Adolfo Macías", "ARRESTED_BY", "Policía Nacional", False)),
])
def test_surface_patterns(default_nlp, text, expected):
    assert expected in relations(default_nlp, text)


@pytest.fixture(scope="module")
def patterns_nlp():
    """The shipped pipeline's mentions, with the trained pair scorer switched off: only the
    surface patterns make relations."""
    from pipeline.nlp.build import load_pipeline

    nlp = load_pipeline()
    nlp.get_pipe("crimeie_relations").coef = None
    return nlp


def rule_relations_found(nlp, text):
    """(head, label, tail, rule) of the relations the surface patterns gave."""
    doc = nlp(text)
    names = {e["index"]: e["name"] for e in doc._.crimeie_entities}
    return {(names[r["head"]], r["label"], names[r["tail"]], r["component"].split(":")[1])
            for r in doc._.crimeie_relations}


@pytest.mark.parametrize("text,expected", [
    ("The prison lies in Tocuyito, a town on the southern edge of Valencia.",
     ("Tocuyito", "LOCATED_IN", "Valencia", "place_in_place")),
    ("Inmates rioted at Tocorón prison in Aragua.", ("Tocorón", "LOCATED_IN", "Aragua", "place_in_place")),
    ("The gang grew out of Venezuela's Aragua state.", ("Aragua", "LOCATED_IN", "Venezuela", "place_possessive")),
    ("Residents of Texcaltitlán, a farming municipality in the south of the State of Mexico, fought back.",
     ("Texcaltitlán", "LOCATED_IN", "State of Mexico", "place_in_place")),
    ("Los detenidos fueron trasladados a Tucupido, en el estado Guárico.",
     ("Tucupido", "LOCATED_IN", "Guárico", "place_in_place")),
    ("On Friday the CICPC arrested Wilmer Pérez in Maracaibo.", ("Wilmer Pérez", "ARRESTED_BY", "CICPC", "arrest_verb")),
    ("La Policía Nacional capturó en Cúcuta a Jhon Jairo Rojas.",
     ("Jhon Jairo Rojas", "ARRESTED_BY", "Policía Nacional", "arrest_verb")),
    ("Ovidio Guzmán López was arrested in Culiacán in January 2023 by the Policía Federal.",
     ("Ovidio Guzmán López", "ARRESTED_BY", "Policía Federal", "arrested_by")),
    # Two agents joined by `and the`: both arrested him.
    ("Otoniel was seized in the Urabá region in a joint operation by the Ejército Nacional and the Policía Nacional.",
     ("Otoniel", "ARRESTED_BY", "Ejército Nacional", "arrested_by")),
    ("Otoniel was seized in the Urabá region in a joint operation by the Ejército Nacional and the Policía Nacional.",
     ("Otoniel", "ARRESTED_BY", "Policía Nacional", "arrested_by_and")),
    ("Police said Wilmer Cedeño, an alleged member of Los Lobos, collected the payments.",
     ("Wilmer Cedeño", "MEMBER_OF", "Los Lobos", "member_role")),
    ("The cartel tortured and killed DEA agent Enrique Camarena in 1985.",
     ("Enrique Camarena", "MEMBER_OF", "DEA", "member_role")),
    ("The main enemy was G-Pèp, a network centred on Brooklyn and led by Gabriel Jean-Pierre.",
     ("Gabriel Jean-Pierre", "LEADER_OF", "G-Pèp", "group_led_by_person")),
    ("Los Trinitarios fueron fundados por Leonides Sierra y Julio Marte en una cárcel de Nueva York.",
     ("Julio Marte", "LEADER_OF", "Los Trinitarios", "group_led_by_person")),
    ("The president appointed the director of the Policía Nacional, Gustavo Sánchez, as minister.",
     ("Gustavo Sánchez", "LEADER_OF", "Policía Nacional", "leader_title_apposition")),
])
def test_rule_patterns_for_places_arrests_members_and_leaders(patterns_nlp, text, expected):
    assert expected in rule_relations_found(patterns_nlp, text)


@pytest.mark.parametrize("text,person,group", [
    ("Rodolfo Carrillo Fuentes, hermano del líder del Cártel de Juárez, fue asesinado en Culiacán.",
     "Rodolfo Carrillo Fuentes", "Cártel de Juárez"),
    ("Castro dismissed Ramón Sabillón and appointed the director of the Policía Nacional.",
     "Ramón Sabillón", "Policía Nacional"),
])
def test_a_relative_or_a_second_predicate_is_not_the_leader(patterns_nlp, text, person, group):
    assert {person, group} <= {e.text for e in patterns_nlp(text).ents}  # both were found
    found = {(h, label, t) for h, label, t, _ in rule_relations_found(patterns_nlp, text)}
    assert (person, "LEADER_OF", group) not in found


@pytest.mark.parametrize("text,head,label,tail", [
    ("Jorge Ruiz, a leader of Los Lobos who had been arrested by the National Police, escaped.",
     "Los Lobos", "ARRESTED_BY", "National Police"),
    ("Entre los arrestados figuraban Laureano Oubiña y miembros de Los Charlines.",
     "Laureano Oubiña", "MEMBER_OF", "Los Charlines"),
    ("Paredes fue capturado por agentes de la Dirincri en diciembre.", "Paredes", "MEMBER_OF", "Dirincri"),
])
def test_a_pattern_reads_who_the_sentence_is_about(patterns_nlp, text, head, label, tail):
    """A group that only describes the person arrested is not itself arrested; a person listed
    beside members, or arrested by agents, is not a member."""
    assert {head, tail} <= {e.text for e in patterns_nlp(text).ents}  # both were found
    found = {(h, lab, t) for h, lab, t, _ in rule_relations_found(patterns_nlp, text)}
    assert (head, label, tail) not in found


def test_a_group_named_between_stops_the_led_by_pattern(patterns_nlp):
    """`Y, allied with Z and led by X`: X leads Z, the group nearest the participle, not Y."""
    found = rule_relations_found(patterns_nlp, "Los Lobos, allied with the CJNG and led by Wilmer Chavarría, fought on.")
    assert ("Wilmer Chavarría", "LEADER_OF", "Los Lobos", "group_led_by_person") not in found


@pytest.mark.parametrize("text,expected", [
    ("Los capturados operaban en los municipios de Ocaña, Ábrego, El Tarra y Tibú, en el Catatumbo.",
     ("Ábrego", "LOCATED_IN", "Catatumbo")),
    ("Los capturados operaban en los municipios de Ocaña, Ábrego, El Tarra y Tibú, en el Catatumbo.",
     ("Ocaña", "LOCATED_IN", "Catatumbo")),
    ("Hubo ataques sobre todo en distritos de Lima como San Juan de Lurigancho, Comas y Ate.",
     ("Comas", "LOCATED_IN", "Lima")),
    ("Cuidaba las rutas en los municipios del Bajo Cauca: Caucasia, Cáceres y Tarazá.",
     ("Cáceres", "LOCATED_IN", "Bajo Cauca")),
    ("Venezuela's border states of Apure, Amazonas and Zulia became rear guards for the rebels.",
     ("Zulia", "LOCATED_IN", "Venezuela")),
])
def test_every_member_of_a_list_of_places_lies_where_the_list_is_placed(patterns_nlp, text, expected):
    assert expected + ("place_list_in_place",) in rule_relations_found(patterns_nlp, text)


@pytest.mark.parametrize("text,expected", [
    ("The witness turned out to be Dwayne Mitchell, 23, of Lakes Pen.",
     ("Dwayne Mitchell", "BASED_IN", "Lakes Pen", "person_of_place")),
    ("Daniel Armendáriz, a.k.a. “Zurdo,” 46, of El Paso's Segundo Barrio, was sentenced to 30 years.",
     ("Daniel Armendáriz", "BASED_IN", "Segundo Barrio", "person_of_place")),
    ("Ramiro Villaseñor Núñez, 52, a native of Aguililla, was charged in Washington.",
     ("Ramiro Villaseñor Núñez", "BASED_IN", "Aguililla", "person_origin")),
    ("En Chile han operado Los Gallegos, con base en Arica, y Los Trinitarios.",
     ("Los Gallegos", "BASED_IN", "Arica", "group_base")),
    ("The Gran Grif gang, based in Haiti's Artibonite department, carried out a massacre.",
     ("Gran Grif", "BASED_IN", "Artibonite", "group_base")),
])
def test_where_a_person_lives_or_a_group_has_its_base(patterns_nlp, text, expected):
    """GUIDELINES BASED_IN: home or origin, headquarters, base, stronghold; a place read as a
    name after a person's age and `of` is a place."""
    found = rule_relations_found(patterns_nlp, text)
    assert expected in found
    if "Haiti" in text:
        assert ("Gran Grif", "BASED_IN", "Haiti", "group_base") not in found


@pytest.mark.parametrize("text,not_expected", [
    ("The gang is active in Tame, Fortul, Saravena and Arauquita.", ("Tame", "LOCATED_IN", "Fortul")),
    ("Extortion spread to Tamaulipas, Nuevo León and Coahuila.", ("Tamaulipas", "LOCATED_IN", "Nuevo León")),
    ("Its cells operate in Colombia, Peru and Chile.", ("Colombia", "LOCATED_IN", "Peru")),
    ("The attack happened in Envigado, just south of Medellín.", ("Envigado", "LOCATED_IN", "Medellín")),
    ("Cells spread from Tame, Fortul and Saravena, just south of Arauca, into Venezuela.", ("Tame", "LOCATED_IN", "Arauca")),
    ("The gang moved from Culiacán, Navolato and Guasave to Sonora.", ("Culiacán", "LOCATED_IN", "Sonora")),
])
def test_places_side_by_side_are_not_one_inside_the_other(patterns_nlp, text, not_expected):
    found, doc = relations(patterns_nlp, text), patterns_nlp(text)
    assert {not_expected[0], not_expected[2]} <= {e.text for e in doc.ents}  # both places were found
    assert not_expected not in {(h, label, t) for h, label, t, _ in found}


@pytest.mark.parametrize("sentence,cue", [
    ("The gang allegedly controls the port.", "allegedly"),
    ("He is believed to lead the faction.", "is believed"),
    ("El grupo presuntamente controla la minería ilegal.", "presuntamente"),
    ("Al parecer, la banda opera en Lima.", "al parecer"),
    ("According to sources, the cell operates in Arica.", "according to sources"),
])
def test_hedge_cues(sentence, cue):
    assert hedge_cue(sentence) == cue


@pytest.mark.parametrize("sentence", ["The gang controls the port.", "La banda opera en Lima.", "Police said the cell operates in Arica."])
def test_plain_statements_are_not_hedged(sentence):
    assert hedge_cue(sentence) is None


def test_hedged_relation_in_context(rule_nlp):
    rels = relations(rule_nlp, "Jorge Ruiz, the alleged leader of Los Lobos, was arrested.")
    assert ("Jorge Ruiz", "LEADER_OF", "Los Lobos", True) in rels


def test_default_pipeline_end_to_end(default_nlp):
    """The shipped pipeline (rules + trained NER + relation scorer) on an unseen paragraph."""
    doc = default_nlp("Prosecutors said Carlos Revete, alias “El Koki”, led the Cota 905 gang in Caracas "
                      "and ran extortion and kidnapping rackets before he was killed in Las Tejerías.")
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("Carlos Revete", "PERSON") in labels and ("El Koki", "PERSON") in labels
    assert ("Caracas", "LOCATION") in labels
    assert {"extortion", "kidnapping"} <= {e._.crimeie_key for e in doc.ents if e.label_ == "CRIMINAL_ACTIVITY"}
    person = next(e for e in doc._.crimeie_entities if e["name"] == "Carlos Revete")
    assert "El Koki" in person["aliases"]
    assert any(r["head"] == person["index"] for r in doc._.crimeie_relations)


def test_by_an_organization_without_an_arrest_is_not_an_arrest(default_nlp):
    rels = relations(default_nlp, "Dairo Antonio Úsuga was sentenced by the Eastern District of New York.")
    assert not any(label == "ARRESTED_BY" for _, label, _, _ in rels)


def test_the_gang_refers_to_the_group_named_earlier_in_the_paragraph(default_nlp):
    """GUIDELINES §4: "the gang" two sentences later still means the group the paragraph is about,
    so the pair (group, place in that later sentence) becomes a candidate with an anaphor feature."""
    from pipeline.nlp.relation_features import DocContext, entity_pair_candidates, entity_pair_features

    doc = default_nlp("Los Choneros grew out of a prison in Manabí. Its founder was killed in 2011. "
                      "Prosecutors say the gang now moves cocaine through Guayaquil and Esmeraldas.")
    ctx = DocContext(doc)
    names = {e["index"]: e["name"] for e in doc._.crimeie_entities}
    group = next(k for k, n in names.items() if n == "Los Choneros")
    assert ctx.anaphor_group.get(2) == group
    pairs = {(names[h], names[t]): near for h, t, near in entity_pair_candidates(ctx, max_sentences=1)}
    assert ("Los Choneros", "Esmeraldas") in pairs  # two sentences apart, tied by "the gang"
    place = next(k for k, n in names.items() if n == "Esmeraldas")
    feats, _ = entity_pair_features(ctx, group, place, pairs[("Los Choneros", "Esmeraldas")])
    assert "anaphor|CRIMINAL_GROUP>LOCATION" in feats


def test_a_pronoun_is_a_mention_of_the_entity_it_stands_for(default_nlp):
    """`Its members` two sentences on still means Los Choneros, and `he` means the last person named,
    so (Los Choneros, Manta) and (Macías, Guayaquil) get same-sentence evidence through the pronoun."""
    from pipeline.nlp.relation_features import DocContext, entity_pair_features

    doc = default_nlp("Los Choneros grew out of a prison in Manabí. Police said it was a small gang then. "
                      "Its members now extort shop owners in Manta. José Adolfo Macías founded a cell. "
                      "In 2011 he moved to Guayaquil.")
    ctx = DocContext(doc)
    index = {e["name"]: e["index"] for e in doc._.crimeie_entities}
    group, person = index["Los Choneros"], index["José Adolfo Macías"]
    assert [m.text for m in ctx.mentions[group] if m._.crimeie_entity is None] == ["it", "Its"]
    assert [m.text for m in ctx.mentions[person] if m._.crimeie_entity is None] == ["he"]
    feats, _ = entity_pair_features(ctx, group, index["Manta"], 0)
    assert "pm:same_sentence" in feats and "m:same_sentence" not in feats


def test_gazetteer_geography_is_a_feature_not_a_relation(default_nlp):
    """A city and its country get `geo=inside_country`; places in two countries `geo=other_country`."""
    from pipeline.nlp.relation_features import DocContext, entity_pair_features

    doc = default_nlp("The cell moved from Cúcuta to Caracas, and later to Colombia's Pacific coast.")
    ctx = DocContext(doc)
    index = {e["name"]: e["index"] for e in doc._.crimeie_entities}
    inside, _ = entity_pair_features(ctx, index["Cúcuta"], index["Colombia"], 0)
    abroad, _ = entity_pair_features(ctx, index["Cúcuta"], index["Caracas"], 0)
    assert "geo=inside_country" in inside and "geo=other_country" in abroad


def test_an_entity_keeps_its_role_across_sentences(default_nlp):
    """GUIDELINES KILLED: "the killing is attributed to it" is often said sentences after the victim
    is named. The victim's role (`the murder of X`) reaches every pair it is in, the place's does not."""
    from pipeline.nlp.relation_features import DocContext, entity_pair_features

    doc = default_nlp("Police are investigating the murder of Fernando Villavicencio in Quito. "
                      "Prosecutors say Los Lobos ordered the attack.")
    ctx = DocContext(doc)
    index = {e["name"]: e["index"] for e in doc._.crimeie_entities}
    victim, _ = entity_pair_features(ctx, index["Los Lobos"], index["Fernando Villavicencio"], 1)
    place, _ = entity_pair_features(ctx, index["Los Lobos"], index["Quito"], 1)
    assert "trole=pre:KILLED|CRIMINAL_GROUP>PERSON" in victim
    assert "trole=prew:murder|CRIMINAL_GROUP>PERSON" in victim
    assert not any(f.startswith("trole=pre:KILLED") for f in place)


def test_adjacent_mentions_do_not_break_the_patterns(rule_nlp):
    """A PERSON right before an ORGANIZATION with nothing between them (a byline, a list)."""
    doc = rule_nlp("Reporting by Jeremy McDermott InSight Crime staff.")
    assert isinstance(doc._.crimeie_relations, list)


def test_context_vectors_read_the_words_the_sparse_features_only_know_by_name(default_nlp, rule_nlp):
    """The shipped scorer adds en_core_web_sm's token vectors (head, tail, between, sentence) to
    its sparse features: the same pair written with a different verb gets a different score."""
    from pipeline.nlp.relation_features import CONTEXT_PARTS, DocContext, context_vector, entity_pair_features

    scorer = default_nlp.get_pipe("crimeie_relations")
    width = default_nlp.get_pipe("tok2vec").model.get_dim("nO")
    assert scorer.context_scale > 0 and scorer.context_coef.shape == (len(scorer.labels), len(CONTEXT_PARTS) * width)

    def operates_in(verb):
        doc = default_nlp(f"Los Choneros {verb} in Manta.")
        ctx = DocContext(doc)
        index = {e["name"]: e["index"] for e in doc._.crimeie_entities}
        feats, (head, tail) = entity_pair_features(ctx, index["Los Choneros"], index["Manta"], 0)
        vector = context_vector(ctx, head, tail)
        assert vector.shape == (len(CONTEXT_PARTS) * width,)
        with_vector = scorer.scores(feats, vector)["OPERATES_IN"]
        return with_vector, scorer.scores(feats)["OPERATES_IN"]

    extort, extort_sparse_only = operates_in("extort shop owners")
    recruit, _ = operates_in("recruit teenagers")
    assert extort != extort_sparse_only and extort != recruit
    # A doc without token vectors (a pipeline with no tok2vec) gets none, not an error.
    doc = rule_nlp("Los Choneros extort shop owners in Manta.")
    doc.tensor = numpy.zeros((0, 0), dtype="float32")
    ctx = DocContext(doc)
    assert ctx.tensor is None and context_vector(ctx, doc.ents[0], doc.ents[-1]) is None


def test_a_relation_that_is_not_symmetric_holds_one_way_only(default_nlp):
    """`Tivoli Gardens in West Kingston`: the pattern puts the neighbourhood inside the district;
    the scorer's weaker reading the other way round is dropped, as no gold document has both."""
    text = "Police raided Tivoli Gardens in West Kingston in 2010 to arrest Christopher Coke."
    rels = relations(default_nlp, text)
    assert ("Tivoli Gardens", "LOCATED_IN", "West Kingston", False) in rels
    assert ("West Kingston", "LOCATED_IN", "Tivoli Gardens", False) not in rels
    doc = default_nlp(text)
    symmetric = {"ALLY_OF", "RIVAL_OF"}
    pairs = {(r["head"], r["label"], r["tail"]) for r in doc._.crimeie_relations}
    assert not any((t, label, h) in pairs for h, label, t in pairs if label not in symmetric)


def test_a_place_named_only_in_the_dateline_takes_no_relation(default_nlp):
    """`BOGOTÁ, 22 de agosto —` says where the story was filed, not where anything in it happened
    (GUIDELINES §4: a relation needs the document to support it)."""
    doc = default_nlp("BOGOTÁ, 22 de agosto — Las autoridades de Colombia atribuyeron a disidencias de las FARC "
                      "los ataques registrados el jueves en el departamento de Antioquia y en la ciudad de Cali.")
    dateline = next(e["index"] for e in doc._.crimeie_entities if e["name"] == "BOGOTÁ")
    assert not any(dateline in (r["head"], r["tail"]) for r in doc._.crimeie_relations)
    # Named again in the story, the same city is an ordinary place.
    doc = default_nlp("CALI, 22 de agosto — Un camión bomba estalló en Cali, en el Valle del Cauca.")
    cali = next(e["index"] for e in doc._.crimeie_entities if e["name"] in ("CALI", "Cali"))
    assert any(r["head"] == cali and r["label"] == "LOCATED_IN" for r in doc._.crimeie_relations)


@pytest.mark.parametrize("text,group,place", [
    ("In 2024 its regional structures, among them the Comandos de la Frontera, which operate in the southern "
     "department of Putumayo, broke away.", "Comandos de la Frontera", "Putumayo"),
    ("Los Lobos, que tienen presencia en El Oro, negaron todo.", "Los Lobos", "El Oro"),
])
def test_a_group_that_operates_in_a_place(patterns_nlp, text, group, place):
    """GUIDELINES §4 OPERATES_IN: presence, activity, control of territory, said of the group
    with nothing but the verb and a place phrase between."""
    assert (group, "OPERATES_IN", place, "group_operates_in") in rule_relations_found(patterns_nlp, text)


def test_a_pair_holds_the_most_confident_label_of_a_family(default_nlp):
    """GUIDELINES §4: BASED_IN replaces OPERATES_IN for the same pair, so a pair keeps one of them;
    the pattern's plain `operate in` outweighs the scorer's weak guess of a base."""
    rels = relations(default_nlp, "In 2024 its regional structures, among them the Comandos de la Frontera, "
                                  "which operate in the southern department of Putumayo, broke away.")
    assert ("Comandos de la Frontera", "OPERATES_IN", "Putumayo", False) in rels
    assert not any(label == "BASED_IN" for _, label, _, _ in rels)


# -- the prior: what the training articles related ------------------------------------------------

def test_the_prior_states_what_training_articles_related_and_leaves_an_article_out_of_its_own():
    """`Niño Guerrero` LEADER_OF `Tren de Aragua` in article 0 only: another article asking about
    the pair gets `prior=LEADER_OF`; article 0 itself, while the scorer trains, does not."""
    from pipeline.nlp.relation_prior import RelationPrior

    prior = RelationPrior()
    person, group = {"PERSON:nino guerrero"}, {"CRIMINAL_GROUP:tren de aragua", "CRIMINAL_GROUP:tda"}
    prior.add(person, "LEADER_OF", group, 0)
    prior.add(group, "OPERATES_IN", {"@VE-D"}, 1)
    assert prior.features(person, {"CRIMINAL_GROUP:tda"}) == {"prior=LEADER_OF": 1.0, "prior_known=both": 1.0}
    left_out = prior.features(person, group, exclude={0})
    assert "prior=LEADER_OF" not in left_out and left_out["prior_known=tail"] == 1.0


def test_a_name_the_prior_has_never_seen_is_unknown_not_unrelated():
    """Two entities the prior knows but never related are evidence against a relation; a name it
    has never seen is no evidence, and the features say which is which."""
    from pipeline.nlp.relation_prior import RelationPrior

    prior = RelationPrior()
    prior.add({"CRIMINAL_GROUP:los choneros"}, "RIVAL_OF", {"CRIMINAL_GROUP:los lobos"}, 0, symmetric=True)
    prior.add({"CRIMINAL_GROUP:los choneros"}, "OPERATES_IN", {"@EC-M"}, 1)
    assert prior.features({"CRIMINAL_GROUP:los lobos"}, {"@EC-M"}) == {"prior_known=both": 1.0}
    assert prior.features({"CRIMINAL_GROUP:los lobos"}, {"CRIMINAL_GROUP:los choneros"}) == \
        {"prior=RIVAL_OF": 1.0, "prior_known=both": 1.0}
    assert prior.features({"CRIMINAL_GROUP:los tiguerones"}, {"@EC-G"}) == {"prior_known=none": 1.0}


def test_the_prior_survives_the_trip_to_disk(tmp_path):
    from pipeline.nlp.relation_prior import RelationPrior

    prior = RelationPrior()
    prior.add({"PERSON:fito"}, "LEADER_OF", {"CRIMINAL_GROUP:los choneros"}, 3)
    prior.add({"PERSON:fito"}, "IMPRISONED_IN", {"FACILITY:la regional"}, 5)
    prior.to_disk(tmp_path)
    again = RelationPrior.from_disk(tmp_path)
    for head, tail in [({"PERSON:fito"}, {"CRIMINAL_GROUP:los choneros"}), ({"PERSON:fito"}, {"LOCATION:quito"})]:
        assert again.features(head, tail) == prior.features(head, tail)
    assert RelationPrior.from_disk(tmp_path / "nowhere") is None


def test_training_rows_see_the_prior_without_their_own_article():
    """`prior_matrix` builds each training row's prior features with its own article (or its
    fold) left out: otherwise every gold pair would carry its own answer as a feature."""
    from pipeline.nlp.relation_prior import RelationPrior
    from pipeline.train.relations import prior_matrix

    prior = RelationPrior()
    head, tail = {"CRIMINAL_GROUP:clan del golfo"}, {"LOCATION:uraba"}
    prior.add(head, "OPERATES_IN", tail, 0)
    gathered = [prior.gather(head, tail), prior.gather(head, tail)]  # the pair in article 0, then in 1
    names = ["prior=OPERATES_IN", "prior_known=both", "prior_known=head", "prior_known=tail", "prior_known=none"]
    matrix = prior_matrix(gathered, names, lambda row: {row}).toarray()
    assert matrix[0].tolist() == [0, 0, 0, 0, 1]  # article 0 alone knew them
    assert matrix[1].tolist() == [1, 1, 0, 0, 0]


def test_entities_are_known_to_the_prior_by_label_name_and_place_code(default_nlp):
    """`Sinaloa` the state and `Sinaloa` the cartel are two keys; a coded place is also known
    by its code, however the article spells it."""
    from pipeline.nlp.relation_features import DocContext
    from pipeline.nlp.relation_prior import entity_keys

    doc = default_nlp("The Sinaloa Cartel still controls much of Culiacán, the capital of Sinaloa.")
    ctx = DocContext(doc)
    index = {e["name"]: e["index"] for e in doc._.crimeie_entities}
    assert "CRIMINAL_GROUP:sinaloa cartel" in entity_keys(ctx, index["Sinaloa Cartel"])
    state = entity_keys(ctx, index["Sinaloa"])
    assert "LOCATION:sinaloa" in state and "@MX-SIN" in state


def test_the_shipped_scorer_weighs_what_its_training_articles_related(default_nlp):
    """The default pipeline ships the prior of its train split: the same sentence scores LEADER_OF
    higher for a pair the training articles related than for names they never mention."""
    scorer = default_nlp.get_pipe("crimeie_relations")
    assert scorer.prior is not None and len(scorer.prior) > 1000

    def leader_score(person, group):
        from pipeline.nlp.relation_features import DocContext, entity_pair_features

        doc = default_nlp(f"{person} appeared in the same report as the {group}.")
        ctx = DocContext(doc)
        index = {e["name"]: e["index"] for e in doc._.crimeie_entities}
        feats, _ = entity_pair_features(ctx, index[person], index[group], 0, prior=scorer.prior)
        return scorer.scores(feats)["LEADER_OF"]

    assert leader_score("Niño Guerrero", "Tren de Aragua") > leader_score("Ramón Ibarra Soto", "Tren de Aragua")


def test_names_the_prior_never_saw_are_read_from_the_text_alone(default_nlp):
    """An article about a group and people the training articles never mention gets exactly the
    relations the text-only model (and the stacker over it) finds: an empty prior changes nothing
    for it."""
    from pipeline.nlp.relation_prior import RelationPrior

    text = ("Los Halcones del Norte, a gang led by Ramón Ibarra Soto, alias “El Tordo”, has fought "
            "the Banda de los Quinteros for control of the market. Fidel Arriaga Lumbreras, the "
            "gang's treasurer, was detained last week.")
    scorer = default_nlp.get_pipe("crimeie_relations")
    assert scorer.text_only is not None
    shipped = scorer.prior

    def relations():
        doc = default_nlp(text)
        names = {e["index"]: e["name"] for e in doc._.crimeie_entities}
        return sorted((names[r["head"]], r["label"], names[r["tail"]], round(r["confidence"], 6))
                      for r in doc._.crimeie_relations)

    with_prior = relations()
    try:
        scorer.prior = RelationPrior()
        empty = relations()
        scorer.prior = None  # a pipeline whose prior.json was removed
        none = relations()
    finally:
        scorer.prior = shipped
    assert ("Ramón Ibarra Soto", "LEADER_OF", "Los Halcones del Norte") in [r[:3] for r in with_prior]
    assert with_prior == empty == none


def test_the_shipped_prior_holds_only_what_the_train_split_states():
    """Dev articles choose thresholds; what they state stays out of the shipped prior."""
    from pipeline.nlp.relation_prior import RelationPrior

    prior = RelationPrior()
    prior.add({"CRIMINAL_GROUP:los lobos"}, "OPERATES_IN", {"@EC-O"}, 0)  # a train article
    prior.add({"CRIMINAL_GROUP:los lobos"}, "ALLY_OF", {"CRIMINAL_GROUP:cjng"}, 7)  # a dev article
    shipped = prior.restricted(range(5))
    assert shipped.features({"CRIMINAL_GROUP:los lobos"}, {"CRIMINAL_GROUP:cjng"}) == {"prior_known=head": 1.0}
    assert "prior=OPERATES_IN" in shipped.features({"CRIMINAL_GROUP:los lobos"}, {"@EC-O"})


def test_the_stacker_sees_each_pair_among_the_candidates_that_share_a_side():
    """The stacker's competition features: a pair's rank by score among the candidates that share
    its head (or its tail), its distance below the best of them, and whether it is the best; a
    candidate whose types do not allow the label is no rival."""
    from pipeline.nlp.relation_stacker import FEATURES_AFTER_LOGITS, stack_features

    probs = numpy.array([[0.9], [0.5], [0.2], [0.7], [0.95]])
    allowed = numpy.array([[True], [True], [True], [True], [False]])
    heads = numpy.array([1, 1, 1, 2, 1])  # P1, P1, P1, P2, P1
    tails = numpy.array([7, 8, 9, 7, 7])  # G1, G2, G3, G1, G1
    x = stack_features(probs, probs, allowed, numpy.zeros(5), heads, tails, 0)
    column = {name: 1 + n for n, name in enumerate(FEATURES_AFTER_LOGITS)}  # after the label's own logit
    assert x[:4, column["head_rank"]].tolist() == [0, 1, 2, 0]
    assert numpy.allclose(x[:4, column["head_gap"]], [0.0, 0.4, 0.7, 0.0])
    assert x[:4, column["tail_rank"]].tolist() == [0, 0, 0, 1]
    assert x[:4, column["best_of_tail"]].tolist() == [1, 1, 1, 0]
    assert x[0, 0] > 0 > x[2, 0]  # the pair's own logit


def test_the_shipped_stacker_prefers_a_groups_best_leader_candidate(default_nlp):
    """With the same first score, a person ranked third of a group's leader candidates is less
    likely its leader than the only candidate of another group."""
    stacker = default_nlp.get_pipe("crimeie_relations").stacker
    assert stacker is not None
    labels = stacker.labels
    leader, member = labels.index("LEADER_OF"), labels.index("MEMBER_OF")
    probs = numpy.zeros((4, len(labels)))
    probs[:, leader] = [0.9, 0.85, 0.6, 0.6]
    probs[:, member] = 0.1
    allowed = numpy.zeros((4, len(labels)), dtype=bool)
    allowed[:, [leader, member]] = True
    stacked = stacker.probabilities(probs, probs, allowed, numpy.zeros(4), numpy.array([1, 2, 3, 4]),
                                    numpy.array([7, 7, 7, 8]))  # P1..P4 of G1, G1, G1, G2
    assert stacked[3, leader] > stacked[2, leader]
    assert (stacked[:, [j for j in range(len(labels)) if j not in (leader, member)]] == 0).all()


def test_the_stacker_survives_the_trip_to_disk(default_nlp, tmp_path):
    scorer = default_nlp.get_pipe("crimeie_relations")
    scorer.to_disk(tmp_path)
    from pipeline.nlp.relations import RelationExtractor

    loaded = RelationExtractor("crimeie_relations", 1, 3, 0.5, True).from_disk(tmp_path)
    assert loaded.stacker.labels == scorer.stacker.labels == scorer.labels
    assert numpy.array_equal(loaded.stacker.coef, scorer.stacker.coef)
    assert loaded.stacker.thresholds == scorer.stacker.thresholds
