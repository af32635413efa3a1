"""People named in an article: canonical full names, stated roles and every mention's offsets.

No model is needed. Names are runs of capitalised words; a run is a person when it carries evidence:

- a title before it ("Mr", "President", "Foreign Minister") or a role noun ("spokesman Dmitry Peskov");
- a known given name first ("Donald Trump"; gender-guesser's 48,000 names plus our own list);
- initials ("P. Simmons");
- newswire context: "(Country)" after a ranked results line, an age (", 35,"), "who", a verb of saying,
  an apposition with a role (", leader of the ..."), "20-year-old ...", a name alone on its line;
- being listed with people ("Mariano Duncan, Darryl Strawberry and Jim Leyritz"; a team sheet of
  surnames of which several are people of the article).

Weak evidence does not count for runs made of words the article also writes in lower case ("Star
Wars"). Runs holding an organisation or place word, a country, a nationality, or a known organisation
("Morgan Stanley", "White House", "Kremlin") are never people. Short mentions ("Mr Peskov", "Trump's",
a headline's "TRUMP", "Trump-Putin") are then linked to the full name written in the same article.
The word lists live in ../data/ so they can be read and extended. Modules, in the order of the work:
tokens (words a name can be made of), runs (name-shaped runs and their titles), evidence (person or
not), lists (names listed with people), roles (the stated role), people (merging and linking mentions).
"""

from site_builder.importer.extract.names.people import Person, find_people

__all__ = ["Person", "find_people"]
