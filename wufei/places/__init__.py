"""Places: China's administrative divisions and the special areas of the Zero-Waste City lists."""

from wufei.places.divisions import CITY, COUNTY, PROVINCE, Divisions, DivisionsError, Place, divisions

__all__ = ["CITY", "COUNTY", "PROVINCE", "Divisions", "DivisionsError", "Place", "divisions"]
