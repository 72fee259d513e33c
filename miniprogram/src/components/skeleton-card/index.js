/** Stands in for a movie card before the recommendation has any titles. */
Component({})
