/** A shimmering grey block; the parent sizes it through its class. */
Component({})
