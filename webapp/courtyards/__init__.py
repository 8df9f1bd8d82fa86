"""Courtyard star ratings (美丽庭院星级户): rating rounds, ratings with photos, their review, the star shares."""
