"""A docking event with registered buyers and suppliers, and firms outside it, for match lists."""

from datetime import date, timedelta

from app.models.enums import Role, Tier

FUTURE = (date.today() + timedelta(days=90)).isoformat()
JIASHAN, HANGZHOU, CHENGDU, SHANGHAI = "330421", "330106", "510104", "310115"
JBOX = "光伏接线盒 junction box"
EVA = "EVA胶膜 EVA film"
FRAME = "铝边框 aluminium frame"
TANK = "高压储氢瓶 hydrogen tank"


class EventMarket:
    """A PV chain (module over junction box, EVA film and frame; a hydrogen tank node apart) and
    an event open for registration. ``register`` and ``post_*`` go through the API as an
    organiser; the firms themselves are arranged with the factory."""

    def __init__(self, client, factory):
        self.client = client
        self.factory = factory
        self.chain, self.nodes = factory.module_chain(
            "pv-lists", apart=("tank", "储氢瓶", "Hydrogen tank")
        )
        self.organiser = factory.headers(Role.organiser)
        self.event = factory.event(title="新能源产业链供需对接会", capacity=100)

    def firm(self, name, region=JIASHAN, tiers=(), verified=False):
        return self.factory.enterprise(name, region_code=region, tiers=tiers, verified=verified)

    def post_capability(self, firm, title, node):
        body = {
            "enterprise_id": firm.id,
            "title": title,
            "chain_id": self.chain.id,
            "node_ids": [self.nodes[node]],
        }
        response = self.client.post("/v1/capabilities", json=body, headers=self.organiser)
        assert response.status_code == 201, response.text
        return response.json()

    def post_requirement(self, firm, title, items, node="module"):
        body = {
            "enterprise_id": firm.id,
            "title": title,
            "chain_id": self.chain.id,
            "node_ids": [self.nodes[node]],
            "items": [{"name": name, "node_id": self.nodes[slug]} for name, slug in items],
            "delivery_region_code": JIASHAN,
            "valid_until": FUTURE,
        }
        response = self.client.post("/v1/requirements", json=body, headers=self.organiser)
        assert response.status_code == 201, response.text
        return response.json()

    def register(self, firm, role, requirements=(), capabilities=(), event=None):
        body = {
            "enterprise_id": firm.id,
            "role": role,
            "requirement_ids": [r["id"] for r in requirements],
            "capability_ids": [c["id"] for c in capabilities],
        }
        event = event or self.event
        response = self.client.post(
            f"/v1/events/{event.id}/registrations", json=body, headers=self.organiser
        )
        assert response.status_code == 201, response.text
        return response.json()


class Fair(EventMarket):
    """A docking fair and who takes part in it.

    Registered: a chain owner (buyer) bringing a three-item module requirement and a hydrogen
    tank requirement; a local SRDI junction-box maker bringing its capability; a distant
    junction-box maker that names no capability (so all its open ones count); a film maker that
    brings its EVA film capability but not its junction-box one; a waitlisted junction-box maker.
    Outside: a frame maker, a tank maker and a junction-box maker, none registered.
    """

    def __init__(self, client, factory):
        super().__init__(client, factory)
        self.buyer = self.firm("嘉善光伏链主有限公司", tiers=(Tier.chain_owner,))
        self.local = self.firm("嘉善精工接线盒有限公司", tiers=(Tier.srdi,), verified=True)
        self.distant = self.firm("成都接线盒有限公司", region=CHENGDU)
        self.film = self.firm("杭州胶膜有限公司", region=HANGZHOU)
        self.framer = self.firm("上海铝边框有限公司", region=SHANGHAI)
        self.tanker = self.firm("上海储氢瓶有限公司", region=SHANGHAI)
        self.outsider = self.firm("上海接线盒有限公司", region=SHANGHAI, verified=True)
        self.late = self.firm("嘉善候补接线盒有限公司", tiers=(Tier.srdi,), verified=True)

        self.module_req = self.post_requirement(
            self.buyer,
            "光伏组件项目配套采购",
            [(JBOX, "junction-box"), (EVA, "eva-film"), (FRAME, "frame")],
        )
        self.tank_req = self.post_requirement(self.buyer, TANK, [], node="tank")
        self.local_cap = self.post_capability(self.local, f"{JBOX} IP68", "junction-box")
        self.distant_cap = self.post_capability(self.distant, JBOX, "junction-box")
        self.film_cap = self.post_capability(self.film, EVA, "eva-film")
        self.film_jbox = self.post_capability(self.film, JBOX, "junction-box")  # not brought
        self.frame_cap = self.post_capability(self.framer, FRAME, "frame")
        self.tank_cap = self.post_capability(self.tanker, TANK, "tank")
        self.outsider_cap = self.post_capability(self.outsider, JBOX, "junction-box")
        self.late_cap = self.post_capability(self.late, f"{JBOX} IP68", "junction-box")

        self.buyer_reg = self.register(
            self.buyer, "buyer", requirements=[self.module_req, self.tank_req]
        )
        self.local_reg = self.register(self.local, "supplier", capabilities=[self.local_cap])
        self.distant_reg = self.register(self.distant, "supplier")
        self.film_reg = self.register(self.film, "supplier", capabilities=[self.film_cap])
        self.capacity_to(4)
        self.late_reg = self.register(self.late, "supplier", capabilities=[self.late_cap])
        assert self.late_reg["status"] == "waitlisted"

    def capacity_to(self, capacity):
        event = self.client.get(f"/v1/events/{self.event.id}", headers=self.organiser)
        response = self.client.patch(
            f"/v1/events/{self.event.id}",
            json={"capacity": capacity},
            headers={**self.organiser, "If-Match": event.headers["etag"]},
        )
        assert response.status_code == 200, response.text

    def match_list(self, headers=None, expect=200, **params):
        response = self.client.get(
            f"/v1/events/{self.event.id}/match-list",
            params=params,
            headers=self.organiser if headers is None else headers,
        )
        assert response.status_code == expect, response.text
        return response

    def gaps(self, headers=None, expect=200, **params):
        response = self.client.get(
            f"/v1/events/{self.event.id}/gaps",
            params=params,
            headers=self.organiser if headers is None else headers,
        )
        assert response.status_code == expect, response.text
        return response
