"""The API's routes, one Powertools `Router` per resource: `document` (health and the OpenAPI document),
`sessions` (sign-in), `marks`, `recommendations`, `imports` and `movies`; `asker` says who asks, `documented` holds
the answers every route documents alike. The error mapping is `errors`, beside this package."""
