"""Realistic demo data for one user: companies, opportunities, history, interviews, contacts.

``generate_demo(user, scale)`` writes about 40 companies, 100 opportunities, 200
interviews and 60 contacts per unit of ``scale``, in one transaction, with
``bulk_create`` so that ``scale=50`` takes seconds rather than minutes. The same seed
gives the same data (relative to the moment it runs). Every word below is made up for
sayyes; company names are composed from two word lists, web addresses use the reserved
``example.com`` domain, and phone numbers the fictional 555-01xx and 020 7946 0xxx ranges.
"""

from __future__ import annotations

import random
import unicodedata
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sayyes.network.models import Contact

from .models import (
    INDUSTRIES,
    Company,
    Interview,
    InterviewKind,
    InterviewStatus,
    Opportunity,
    Priority,
    Remote,
    Status,
    StatusEvent,
)

COMPANIES_PER_SCALE = 40
OPPORTUNITIES_PER_SCALE = 100
INTERVIEWS_PER_SCALE = 200
CONTACTS_PER_SCALE = 60
BATCH_SIZE = 500
HISTORY_DAYS = 120
AHEAD_DAYS = 30

Progress = Callable[[int, str], object]

# --- Places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    region: str  # US, CA, UK or EU
    tz: str
    pay: float  # salary level in the local currency, relative to a US median in USD


CITIES: list[City] = [
    City("New York, NY", "US", "America/New_York", 1.15),
    City("San Francisco, CA", "US", "America/Los_Angeles", 1.2),
    City("Seattle, WA", "US", "America/Los_Angeles", 1.12),
    City("Austin, TX", "US", "America/Chicago", 1.0),
    City("Chicago, IL", "US", "America/Chicago", 1.0),
    City("Boston, MA", "US", "America/New_York", 1.08),
    City("Denver, CO", "US", "America/Denver", 0.98),
    City("Atlanta, GA", "US", "America/New_York", 0.95),
    City("Los Angeles, CA", "US", "America/Los_Angeles", 1.08),
    City("Raleigh, NC", "US", "America/New_York", 0.92),
    City("Minneapolis, MN", "US", "America/Chicago", 0.93),
    City("Phoenix, AZ", "US", "America/Phoenix", 0.9),
    City("Portland, OR", "US", "America/Los_Angeles", 0.97),
    City("Pittsburgh, PA", "US", "America/New_York", 0.88),
    City("Salt Lake City, UT", "US", "America/Denver", 0.9),
    City("Toronto, ON", "CA", "America/Toronto", 0.9),
    City("Vancouver, BC", "CA", "America/Vancouver", 0.88),
    City("Montreal, QC", "CA", "America/Toronto", 0.8),
    City("Calgary, AB", "CA", "America/Edmonton", 0.85),
    City("London", "UK", "Europe/London", 0.62),
    City("Manchester", "UK", "Europe/London", 0.5),
    City("Edinburgh", "UK", "Europe/London", 0.5),
    City("Bristol", "UK", "Europe/London", 0.5),
    City("Berlin", "EU", "Europe/Berlin", 0.6),
    City("Munich", "EU", "Europe/Berlin", 0.66),
    City("Amsterdam", "EU", "Europe/Amsterdam", 0.64),
    City("Paris", "EU", "Europe/Paris", 0.6),
    City("Dublin", "EU", "Europe/Dublin", 0.7),
    City("Madrid", "EU", "Europe/Madrid", 0.45),
    City("Lisbon", "EU", "Europe/Lisbon", 0.4),
]
REGION_WEIGHTS = {"US": 70, "EU": 12, "UK": 9, "CA": 9}
REGION_CURRENCY = {"US": "USD", "CA": "CAD", "UK": "GBP", "EU": "EUR"}
REGION_LABEL = {"US": "the US", "CA": "Canada", "UK": "the UK", "EU": "the EU"}
REMOTE_LOCATION = {"US": "Remote (US)", "CA": "Remote (Canada)", "UK": "Remote (UK)",
                   "EU": "Remote (Europe)"}  # fmt: skip
STREETS = [
    "Market Street", "Main Street", "Harbor Drive", "King Street", "High Street",
    "Park Avenue", "Mill Road", "Station Road", "Commerce Way", "Lake Street",
    "Bridge Street", "Elm Avenue", "Innovation Drive", "Front Street", "Canal Street",
]  # fmt: skip

# --- Companies ------------------------------------------------------------------------------

NAME_PREFIXES = [
    "Northwind", "Bluepeak", "Silverline", "Brightwater", "Ironwood", "Redstone", "Clearpath",
    "Greenfield", "Harborview", "Summit", "Cedarline", "Maplewood", "Granite", "Lumen",
    "Orbit", "Pioneer", "Quanta", "Riverbend", "Sterling", "Tidewater", "Vantage",
    "Westbrook", "Evergreen", "Falconridge", "Highland", "Juniper", "Keystone", "Lakeshore",
    "Meridian", "Novus", "Oakridge", "Pinnacle", "Crescent", "Atlas", "Beacon", "Copperleaf",
    "Driftwood", "Elmstone", "Foxglove", "Horizon", "Kestrel", "Larkspur", "Millbrook",
    "Northstar", "Oxbow", "Prairie", "Redwood", "Saltmarsh", "Trailhead", "Bramble",
    "Cobalt", "Ember", "Fairhaven", "Glacier", "Halcyon", "Indigo", "Jetstream", "Kinetic",
    "Lodestar", "Monarch", "Nimbus", "Openfield", "Parallax", "Quarry", "Rosewood", "Sable",
    "Upland", "Verity", "Willow", "Zephyr", "Alder", "Brookside",
]  # fmt: skip

INDUSTRY_SUFFIXES: dict[str, list[str]] = {
    "Administrative Services": ["Office Solutions", "Admin Partners", "Business Services"],
    "Support Services": ["Support Group", "Facility Services", "Services"],
    "Advertising": ["Media", "Creative", "Ad Works"],
    "Public Relations": ["Communications", "PR", "Public Affairs"],
    "Agriculture": ["Farms", "Agritech", "Growers"],
    "Automotive": ["Motors", "Automotive", "Mobility"],
    "Banking": ["Bank", "Savings Bank", "Credit Union"],
    "Finance": ["Capital", "Financial", "Partners", "Wealth"],
    "Construction": ["Builders", "Construction", "Contracting"],
    "Data Analytics": ["Analytics", "Data", "Insights"],
    "Education": ["Learning", "Academy", "Education"],
    "Engineering": ["Engineering", "Design Group", "Structures"],
    "Food & Beverage": ["Foods", "Brewing", "Kitchens"],
    "Gas & Oil": ["Energy", "Petroleum", "Resources"],
    "Government": ["Transit Authority", "Port Authority", "Public Works"],
    "Healthcare": ["Health", "Medical Center", "Care"],
    "Tourism": ["Travel", "Tours", "Journeys"],
    "Hotel": ["Hotels", "Resorts", "Inn & Suites"],
    "Accounting": ["Accounting", "CPA Group", "Tax & Advisory"],
    "Human Resources": ["HR", "People Partners", "Workforce Solutions"],
    "Insurance": ["Insurance", "Mutual", "Assurance"],
    "IT": ["IT Services", "Networks", "Cloud"],
    "Technology": ["Labs", "Software", "Systems", "Technologies"],
    "Manufacturing": ["Manufacturing", "Industries", "Components"],
    "Marketing": ["Marketing", "Growth", "Brands"],
    "Medical Devices": ["Medical", "Devices", "Diagnostics"],
    "Nonprofit": ["Foundation", "Alliance", "Trust"],
    "Pharmaceutical": ["Pharma", "Therapeutics", "Biosciences"],
    "Publishing & Printing": ["Press", "Publishing", "Print"],
    "Real Estate": ["Realty", "Properties", "Estates"],
    "Retail": ["Outfitters", "Market", "Stores"],
    "Sales": ["Sales Group", "Commerce", "Trading"],
    "Supply Chain": ["Logistics", "Supply", "Freight"],
    "Transportation": ["Transit", "Lines", "Express"],
    "Television & Movies": ["Studios", "Pictures", "Broadcasting"],
    "Music": ["Records", "Music", "Sound"],
    "Recruiting": ["Talent", "Staffing", "Search"],
    "Waste Management": ["Recycling", "Environmental", "Waste Solutions"],
}

# How often each industry turns up: a job seeker's search leans towards some of them.
INDUSTRY_WEIGHTS: dict[str, int] = {
    "Technology": 6, "IT": 4, "Data Analytics": 4, "Finance": 3, "Healthcare": 3,
    "Banking": 2, "Insurance": 2, "Marketing": 2, "Retail": 2, "Engineering": 2,
    "Manufacturing": 2, "Education": 2, "Pharmaceutical": 2, "Medical Devices": 2,
}  # fmt: skip

COMPANY_NOTES = [
    "About {size} people; {stage}.",
    "Engineering blog is worth reading before any interview.",
    "Offices in {city}; most teams work hybrid.",
    "Reviews mention good managers and slow promotions.",
    "{stage}; recently expanded into {region}.",
    "A friend worked here and liked the culture.",
    "Known for thorough, friendly interviews.",
    "Went through a reorganisation last year.",
]
COMPANY_STAGES = [
    "Series B and growing fast", "publicly listed", "family-owned", "profitable and bootstrapped",
    "recently acquired", "Series A", "employee-owned", "a long-established name",
]  # fmt: skip

# --- Roles ------------------------------------------------------------------------------------

INDUSTRY_TITLES: dict[str, list[str]] = {
    "Administrative Services": ["Office Manager", "Executive Assistant",
                                "Administrative Coordinator", "Operations Manager",
                                "Office Administrator"],
    "Support Services": ["Customer Support Specialist", "Support Team Lead",
                         "Facilities Coordinator", "Service Delivery Manager"],
    "Advertising": ["Account Executive", "Media Planner", "Creative Director", "Copywriter",
                    "Programmatic Advertising Specialist"],
    "Public Relations": ["PR Specialist", "Communications Manager",
                         "Media Relations Coordinator", "Account Director"],
    "Agriculture": ["Agronomist", "Farm Operations Manager", "Agricultural Data Analyst",
                    "Supply Planner", "Precision Agriculture Engineer"],
    "Automotive": ["Automotive Software Engineer", "Quality Engineer", "Manufacturing Engineer",
                   "Vehicle Test Engineer", "Product Planner"],
    "Banking": ["Credit Analyst", "Relationship Manager", "Risk Analyst", "Compliance Officer",
                "Branch Manager", "Payments Software Engineer"],
    "Finance": ["Financial Analyst", "Investment Analyst", "FP&A Manager",
                "Quantitative Analyst", "Portfolio Manager", "Treasury Analyst"],
    "Construction": ["Project Engineer", "Site Manager", "Estimator",
                     "Construction Project Manager", "Safety Coordinator"],
    "Data Analytics": ["Data Analyst", "Data Engineer", "Data Scientist", "Analytics Engineer",
                       "BI Developer", "Machine Learning Engineer"],
    "Education": ["Instructional Designer", "Curriculum Developer",
                  "Learning Experience Designer", "Program Coordinator",
                  "Education Technology Specialist"],
    "Engineering": ["Mechanical Engineer", "Civil Engineer", "Electrical Engineer",
                    "Project Engineer", "Structural Engineer"],
    "Food & Beverage": ["Food Safety Manager", "Brand Manager", "Production Supervisor",
                        "Supply Chain Analyst", "Product Developer"],
    "Gas & Oil": ["Petroleum Engineer", "Reservoir Engineer", "HSE Advisor", "Data Scientist",
                  "Operations Engineer"],
    "Government": ["Policy Analyst", "Program Manager", "Budget Analyst", "GIS Analyst",
                   "IT Specialist"],
    "Healthcare": ["Clinical Data Analyst", "Health Informatics Specialist", "Practice Manager",
                   "Registered Nurse", "Patient Experience Manager"],
    "Tourism": ["Travel Consultant", "Destination Marketing Manager",
                "Tour Operations Coordinator", "Revenue Analyst"],
    "Hotel": ["Front Office Manager", "Revenue Manager", "Guest Experience Manager",
              "Hotel General Manager", "Events Coordinator"],
    "Accounting": ["Staff Accountant", "Senior Accountant", "Tax Associate", "Audit Senior",
                   "Controller"],
    "Human Resources": ["HR Business Partner", "People Operations Specialist",
                        "Compensation Analyst", "HRIS Analyst",
                        "Learning and Development Manager"],
    "Insurance": ["Underwriter", "Actuarial Analyst", "Claims Adjuster", "Risk Analyst",
                  "Pricing Analyst"],
    "IT": ["Systems Administrator", "Network Engineer", "IT Support Specialist",
           "Cloud Engineer", "Security Analyst", "IT Project Manager"],
    "Technology": ["Software Engineer", "Backend Engineer", "Frontend Engineer",
                   "Site Reliability Engineer", "Product Manager", "Engineering Manager",
                   "QA Engineer", "Staff Engineer", "Product Designer"],
    "Manufacturing": ["Manufacturing Engineer", "Process Engineer", "Quality Manager",
                      "Production Planner", "Plant Manager", "Automation Engineer"],
    "Marketing": ["Marketing Manager", "Content Strategist", "SEO Specialist",
                  "Growth Marketer", "Marketing Analyst", "Product Marketing Manager"],
    "Medical Devices": ["Regulatory Affairs Specialist", "Quality Engineer",
                        "Clinical Research Associate", "Embedded Software Engineer",
                        "R&D Engineer"],
    "Nonprofit": ["Program Manager", "Grants Manager", "Development Officer",
                  "Volunteer Coordinator", "Impact Analyst"],
    "Pharmaceutical": ["Clinical Research Associate", "Biostatistician",
                       "Regulatory Affairs Manager", "Medical Science Liaison",
                       "Quality Assurance Specialist"],
    "Publishing & Printing": ["Editor", "Production Manager", "Digital Publishing Specialist",
                              "Rights Manager", "Print Production Coordinator"],
    "Real Estate": ["Property Manager", "Real Estate Analyst", "Leasing Consultant",
                    "Asset Manager", "Development Manager"],
    "Retail": ["Store Manager", "Merchandise Planner", "E-commerce Manager", "Buyer",
               "Retail Operations Analyst"],
    "Sales": ["Account Executive", "Sales Development Representative", "Account Manager",
              "Sales Operations Analyst", "Solutions Engineer", "Sales Manager"],
    "Supply Chain": ["Supply Chain Analyst", "Logistics Coordinator", "Procurement Specialist",
                     "Demand Planner", "Warehouse Operations Manager"],
    "Transportation": ["Fleet Manager", "Transportation Planner", "Dispatcher",
                       "Logistics Analyst", "Operations Manager"],
    "Television & Movies": ["Production Coordinator", "Post-Production Supervisor",
                            "Video Editor", "Content Programming Manager",
                            "Rights and Licensing Analyst"],
    "Music": ["A&R Coordinator", "Music Licensing Manager", "Artist Manager", "Audio Engineer",
              "Digital Marketing Manager"],
    "Recruiting": ["Technical Recruiter", "Talent Acquisition Partner", "Sourcer",
                   "Recruiting Coordinator", "Recruitment Consultant"],
    "Waste Management": ["Environmental Engineer", "Operations Supervisor",
                         "Sustainability Analyst", "Route Planner",
                         "Environmental Health and Safety Manager"],
}  # fmt: skip
# Roles that exist in nearly every industry.
CROSS_INDUSTRY_TITLES = [
    "Software Engineer", "Data Analyst", "Project Manager", "Product Manager",
    "Business Analyst", "Operations Analyst", "Data Engineer",
]  # fmt: skip

# A yearly US median in USD, per industry, before seniority and place.
INDUSTRY_PAY: dict[str, int] = {
    "Administrative Services": 55_000, "Support Services": 52_000, "Advertising": 75_000,
    "Public Relations": 70_000, "Agriculture": 70_000, "Automotive": 95_000,
    "Banking": 105_000, "Finance": 110_000, "Construction": 85_000,
    "Data Analytics": 120_000, "Education": 65_000, "Engineering": 95_000,
    "Food & Beverage": 65_000, "Gas & Oil": 110_000, "Government": 75_000,
    "Healthcare": 85_000, "Tourism": 55_000, "Hotel": 55_000, "Accounting": 80_000,
    "Human Resources": 80_000, "Insurance": 90_000, "IT": 105_000, "Technology": 135_000,
    "Manufacturing": 85_000, "Marketing": 80_000, "Medical Devices": 110_000,
    "Nonprofit": 60_000, "Pharmaceutical": 115_000, "Publishing & Printing": 60_000,
    "Real Estate": 80_000, "Retail": 60_000, "Sales": 85_000, "Supply Chain": 75_000,
    "Transportation": 70_000, "Television & Movies": 70_000, "Music": 60_000,
    "Recruiting": 70_000, "Waste Management": 70_000,
}  # fmt: skip

INDUSTRY_FAMILY: dict[str, str] = {
    "IT": "software",
    "Technology": "software",
    "Data Analytics": "data",
    "Banking": "finance",
    "Finance": "finance",
    "Accounting": "finance",
    "Insurance": "finance",
    "Healthcare": "health",
    "Medical Devices": "health",
    "Pharmaceutical": "health",
    "Advertising": "marketing",
    "Public Relations": "marketing",
    "Marketing": "marketing",
    "Sales": "marketing",
    "Publishing & Printing": "marketing",
    "Human Resources": "people",
    "Recruiting": "people",
    "Education": "people",
    "Nonprofit": "people",
    "Government": "people",
    "Food & Beverage": "hospitality",
    "Tourism": "hospitality",
    "Hotel": "hospitality",
    "Retail": "hospitality",
    "Television & Movies": "media",
    "Music": "media",
}  # fmt: skip  (everything else is "operations")


@dataclass(frozen=True)
class Family:
    skills: list[str]
    teams: list[str]
    duties: list[str]
    customers: str


FAMILIES: dict[str, Family] = {
    "software": Family(
        [
            "Python",
            "Go",
            "TypeScript",
            "PostgreSQL",
            "Kubernetes",
            "AWS",
            "distributed systems",
            "CI/CD",
            "React",
            "observability tooling",
        ],
        [
            "Platform",
            "Payments",
            "Growth",
            "Core Services",
            "Developer Experience",
            "Infrastructure",
            "Mobile",
        ],
        [
            "design, build and run services used by thousands of customers",
            "review code and mentor other engineers",
            "own features from first sketch to production",
            "improve reliability and the health of the on-call rotation",
            "work closely with product and design on the roadmap",
            "keep our cloud costs and security posture in check",
        ],
        "businesses of every size",
    ),
    "data": Family(
        [
            "SQL",
            "Python",
            "dbt",
            "Airflow",
            "Tableau",
            "Looker",
            "statistics",
            "experiment design",
            "Spark",
            "forecasting",
        ],
        ["Analytics", "Data Platform", "Insights", "Decision Science", "Machine Learning"],
        [
            "turn messy data into clear answers for leadership",
            "build and maintain data pipelines",
            "design and analyse experiments",
            "define the metrics the company runs on",
            "ship models that make it into production",
        ],
        "retailers, banks and hospitals",
    ),
    "finance": Family(
        [
            "Excel modelling",
            "SQL",
            "financial reporting",
            "IFRS",
            "US GAAP",
            "risk models",
            "Python",
            "regulatory reporting",
            "valuation",
            "forecasting",
        ],
        ["Finance", "Risk", "Treasury", "Credit", "Audit", "Investments"],
        [
            "prepare monthly and quarterly reporting",
            "build models that guide big decisions",
            "partner with business leaders on budgets",
            "keep us on the right side of regulators",
            "assess risk on new products and clients",
        ],
        "households and small businesses",
    ),
    "health": Family(
        [
            "HIPAA",
            "GxP",
            "clinical workflows",
            "EHR systems",
            "FDA regulations",
            "ISO 13485",
            "clinical trial design",
            "SAS",
            "quality systems",
            "patient safety",
        ],
        [
            "Clinical Operations",
            "Quality",
            "Regulatory",
            "Research and Development",
            "Patient Services",
        ],
        [
            "improve outcomes and experience for patients",
            "keep our quality system audit-ready",
            "work with clinicians to improve daily workflows",
            "prepare submissions for regulators",
            "support studies from design to close-out",
        ],
        "patients, clinics and hospital networks",
    ),
    "marketing": Family(
        [
            "campaign management",
            "copywriting",
            "Google Analytics",
            "CRM tools",
            "SEO",
            "paid social",
            "storytelling",
            "media buying",
            "HubSpot",
            "Salesforce",
        ],
        ["Brand", "Growth", "Communications", "Revenue", "Partnerships", "Content"],
        [
            "plan and run campaigns across channels",
            "grow and look after key client accounts",
            "write copy that sounds like us",
            "measure what works and cut what doesn't",
            "build relationships with press and partners",
        ],
        "consumer brands and B2B companies",
    ),
    "operations": Family(
        [
            "Lean",
            "Six Sigma",
            "AutoCAD",
            "ERP systems",
            "SAP",
            "project scheduling",
            "health and safety",
            "budgeting",
            "vendor management",
            "process improvement",
        ],
        ["Operations", "Engineering", "Projects", "Logistics", "Quality", "Field Services"],
        [
            "keep projects on time and on budget",
            "improve processes on the floor and in the field",
            "work with suppliers and contractors",
            "make sites safer every quarter",
            "plan capacity for the coming seasons",
        ],
        "industrial and public-sector clients",
    ),
    "people": Family(
        [
            "stakeholder management",
            "program design",
            "grant writing",
            "Workday",
            "policy analysis",
            "facilitation",
            "employment law",
            "applicant tracking systems",
            "public speaking",
            "survey design",
        ],
        ["People", "Programs", "Talent", "Policy", "Community"],
        [
            "design programs that people actually use",
            "advise managers on hard conversations",
            "run hiring processes that candidates enjoy",
            "report on impact to funders and boards",
            "bring communities and partners together",
        ],
        "communities, schools and employers",
    ),
    "hospitality": Family(
        [
            "guest service",
            "revenue management",
            "inventory planning",
            "POS systems",
            "team scheduling",
            "merchandising",
            "food safety",
            "Shopify",
            "customer experience",
            "budgeting",
        ],
        ["Guest Experience", "Operations", "Merchandising", "E-commerce", "Revenue"],
        [
            "lead a team that guests remember",
            "plan inventory and pricing for each season",
            "grow online and in-store sales",
            "keep standards high on busy days",
            "turn guest feedback into improvements",
        ],
        "travellers, diners and shoppers",
    ),
    "media": Family(
        [
            "Adobe Premiere",
            "Pro Tools",
            "rights management",
            "production scheduling",
            "audience analytics",
            "contract negotiation",
            "social media",
            "budgeting",
            "metadata",
            "streaming platforms",
        ],
        ["Production", "Content", "Licensing", "Artist Development", "Distribution"],
        [
            "keep productions on schedule and on budget",
            "work with artists and their managers",
            "negotiate and track licensing deals",
            "grow audiences on streaming platforms",
            "coordinate crews, vendors and post-production",
        ],
        "audiences around the world",
    ),
}

COMPANY_ADJECTIVES = [
    "fast-growing", "profitable", "family-owned", "venture-backed", "publicly listed",
    "employee-owned", "mission-driven", "well-established", "award-winning", "200-person",
]  # fmt: skip
BENEFITS = [
    "health, dental and vision cover", "a yearly learning budget", "flexible hours",
    "a retirement plan with a company match", "generous parental leave",
    "25 days of paid time off", "a home-office allowance", "equity in the company",
    "a four-day week in summer", "paid volunteering days",
]  # fmt: skip
SOURCES = [("LinkedIn", 35), ("Company site", 20), ("Referral", 15), ("Job board", 18),
           ("Recruiter", 12)]  # fmt: skip
OPPORTUNITY_NOTES = [
    "Referred by a former colleague.",
    "Recruiter reached out on LinkedIn.",
    "Great team, long commute.",
    "Salary band looks low; ask about equity and bonus.",
    "Follow up with the hiring manager next week.",
    "Strong mission; read the last annual report.",
    "Hiring manager posted about the team on LinkedIn.",
    "They use {skill}; brush up before the screen.",
    "Ask about on-call and weekend work.",
    "Second time applying here.",
    "Good benefits, unclear growth path.",
    "Met someone from {company} at a meetup.",
    "Role was reposted twice; ask why.",
    "Would mean relocating to {city}.",
]

# --- Status history ---------------------------------------------------------------------------

# How a search looks after a few months: many saved and applied, few offers, many closed.
FINAL_STATUS_WEIGHTS = [
    (Status.SAVED, 18), (Status.APPLIED, 27), (Status.SCREENING, 8),
    (Status.INTERVIEWING, 10), (Status.OFFER, 3), (Status.ACCEPTED, 1), (Status.DECLINED, 2),
    (Status.REJECTED, 24), (Status.WITHDRAWN, 7),
]  # fmt: skip
# The gap in days before reaching each status.
GAP_DAYS = {
    Status.APPLIED: (0.2, 10), Status.SCREENING: (3, 21), Status.INTERVIEWING: (4, 14),
    Status.OFFER: (7, 25), Status.ACCEPTED: (1, 8), Status.DECLINED: (1, 8),
    Status.WITHDRAWN: (2, 20),
}  # fmt: skip
REJECTED_GAP_DAYS = {Status.APPLIED: (5, 35), Status.SCREENING: (2, 10),
                     Status.INTERVIEWING: (3, 14)}  # fmt: skip
CLOSED = {Status.ACCEPTED, Status.DECLINED, Status.REJECTED, Status.WITHDRAWN}

# --- People -----------------------------------------------------------------------------------

FIRST_NAMES = [
    "Aisha", "Ben", "Carmen", "Daniel", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jamal",
    "Katarzyna", "Liam", "Maya", "Nikhil", "Olivia", "Pedro", "Quinn", "Rosa", "Samuel",
    "Tanvi", "Uma", "Victor", "Wei", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloé",
    "Diego", "Emma", "Felix", "Hannah", "Ivan", "Julia", "Kofi", "Lena", "Marcus", "Nora",
    "Omar", "Priya", "Rafael", "Sofia", "Thomas", "Valentina", "William", "Yara", "José",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Schmidt", "García", "Nguyen", "Kowalski", "Haddad", "Chen", "Tanaka", "Silva",
    "Johnson", "Murphy", "Patel", "Rossi", "Andersson", "Dubois", "Kim", "Mensah", "Novak",
    "O'Brien", "Petrov", "Ramirez", "Singh", "Thompson", "Van Dijk", "Walsh", "Yilmaz",
    "Zhang", "Brown", "Costa", "Fischer", "Hughes", "Ibrahim", "Jensen", "Lopez", "Martin",
    "Nakamura", "Osei", "Park", "Reyes", "Sato", "Taylor", "Williams", "Khan", "Moreau",
]  # fmt: skip
CONTACT_TITLES = [
    "Recruiter", "Technical Recruiter", "Talent Acquisition Partner", "Hiring Manager",
    "Team Lead", "Head of {team}", "Director of {team}", "Senior {role}", "{role}",
    "HR Business Partner", "VP of {team}", "Recruiting Coordinator",
]  # fmt: skip
CONTACT_NOTES = [
    "Interviewed me for the {role} role.", "Reached out on LinkedIn.", "Met at a meetup.",
    "Former colleague, now at {company}.", "Introduced by a friend.",
    "Very helpful during scheduling.", "Gave honest feedback after the interview.",
    "Said to get back in touch in the spring.",
]  # fmt: skip

# --- Interviews -------------------------------------------------------------------------------

MIDDLE_KINDS = [
    (InterviewKind.TECHNICAL, 30), (InterviewKind.BEHAVIORAL, 25), (InterviewKind.VIDEO, 20),
    (InterviewKind.PANEL, 15), (InterviewKind.OTHER, 5), (InterviewKind.ONSITE, 5),
]  # fmt: skip
DURATIONS: dict[str, list[int]] = {
    InterviewKind.PHONE_SCREEN: [30, 30, 45], InterviewKind.VIDEO: [30, 45, 45, 60],
    InterviewKind.TECHNICAL: [60, 60, 90], InterviewKind.BEHAVIORAL: [45, 60],
    InterviewKind.PANEL: [60, 90], InterviewKind.ONSITE: [90, 90, 60],
    InterviewKind.FINAL: [45, 60, 90], InterviewKind.OTHER: [30, 45],
}  # fmt: skip
LOCAL_HOURS = [9, 9, 10, 10, 10, 11, 11, 13, 13, 14, 14, 15, 15, 16, 16, 17]
LOCAL_MINUTES = [0, 0, 0, 0, 30, 30, 15, 45]
PAST_NOTES = [
    "Went well; they asked a lot about {skill}.",
    "Ran out of time on the last question.",
    "Friendly panel. Send a thank-you note.",
    "They asked about salary expectations early.",
    "Good questions about the team's roadmap.",
    "Interviewer was late; we rescheduled part of it.",
    "Felt rushed. Ask the recruiter for feedback.",
    "Learned they are rebuilding the {team} team.",
]
FUTURE_NOTES = [
    "Prepare two stories about conflict and one about failure.",
    "Review {skill} before this one.",
    "Ask about the team's biggest challenge this year.",
    "Bring questions about growth and mentoring.",
    "Check the dress code and the address the day before.",
    "Read their latest product announcements.",
]

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def demo_total(scale: int = 1) -> int:
    """The number of progress units ``generate_demo`` reports: opportunities plus interviews."""
    return (OPPORTUNITIES_PER_SCALE + INTERVIEWS_PER_SCALE) * scale


def _roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in _ascii(text).lower()).split()
    return "-".join(words)


def _family(industry: str) -> Family:
    return FAMILIES[INDUSTRY_FAMILY.get(industry, "operations")]


def _weighted(rng: random.Random, pairs: Sequence[tuple[object, int]]):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


@dataclass
class _CompanyPlan:
    name: str
    industry: str
    city: City
    address: str
    created_at: datetime | None = None
    obj: Company | None = None
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class _OpportunityPlan:
    company: _CompanyPlan
    title: str
    city: City
    remote: str
    path: list[str]
    times: list[datetime]
    obj: Opportunity | None = None
    past: int = 0
    future: int = 0

    @property
    def status(self) -> str:
        return self.path[-1]

    def reached(self, status: str) -> datetime | None:
        for s, at in zip(self.path, self.times, strict=True):
            if s == status:
                return at
        return None


class _Builder:
    """Plans everything in memory first, then writes it with a few bulk inserts."""

    def __init__(self, user, scale: int, rng: random.Random, progress: Progress | None):
        self.user = user
        self.scale = scale
        self.rng = rng
        self.progress = progress
        self.reported = 0
        self.now = timezone.now().replace(microsecond=0)
        self.zones: dict[str, zoneinfo.ZoneInfo] = {}
        self.regions: dict[str, list[City]] = {}
        for city in CITIES:
            self.regions.setdefault(city.region, []).append(city)

    # --- helpers

    def _tz(self, name: str) -> zoneinfo.ZoneInfo:
        if name not in self.zones:
            self.zones[name] = zoneinfo.ZoneInfo(name)
        return self.zones[name]

    def _report(self, advance: int, description: str) -> None:
        self.reported += advance
        if self.progress is not None:
            self.progress(advance, description)

    def _city(self, region: str | None = None) -> City:
        if region is None:
            region = _weighted(self.rng, list(REGION_WEIGHTS.items()))
        return self.rng.choice(self.regions[region])

    # --- companies

    def plan_companies(self) -> list[_CompanyPlan]:
        rng = self.rng
        taken = {
            name.lower()
            for name in Company.objects.filter(owner=self.user).values_list("name", flat=True)
        }
        industries = list(INDUSTRIES)
        weights = [INDUSTRY_WEIGHTS.get(i, 1) for i in industries]
        plans = []
        for _ in range(COMPANIES_PER_SCALE * self.scale):
            industry = rng.choices(industries, weights=weights)[0]
            city = self._city()
            name = self._company_name(industry, city, taken)
            taken.add(name.lower())
            address = f"{rng.randint(1, 999)} {rng.choice(STREETS)}, {city.name}"
            plans.append(_CompanyPlan(name, industry, city, address))
        return plans

    def _company_name(self, industry: str, city: City, taken: set[str]) -> str:
        rng = self.rng
        suffixes = INDUSTRY_SUFFIXES[industry]
        base = ""
        for _ in range(25):
            base = f"{rng.choice(NAME_PREFIXES)} {rng.choice(suffixes)}"
            if base.lower() not in taken:
                return base
        # Every likely combination is in use: tell this one apart by its city, then a numeral.
        with_city = f"{base} {city.name.split(',')[0]}"
        if with_city.lower() not in taken:
            return with_city
        number = 2
        while f"{base} {_roman(number)}".lower() in taken:
            number += 1
        return f"{base} {_roman(number)}"

    def company_objects(self, plans: list[_CompanyPlan]) -> list[Company]:
        rng = self.rng
        objs = []
        for plan in plans:
            notes = ""
            if rng.random() < 0.5:
                notes = rng.choice(COMPANY_NOTES).format(
                    size=rng.choice([40, 120, 350, 800, 2500, 12000]),
                    stage=rng.choice(COMPANY_STAGES),
                    city=plan.city.name.split(",")[0],
                    region=REGION_LABEL[rng.choice(list(REGION_LABEL))],
                )
                notes = notes[0].upper() + notes[1:]
            plan.obj = Company(
                owner=self.user,
                name=plan.name,
                industry=plan.industry,
                website=f"https://{_slug(plan.name)}.example.com" if rng.random() < 0.85 else "",
                location=plan.city.name,
                notes=notes,
                created_at=plan.created_at or self.now,
            )
            objs.append(plan.obj)
        return objs

    # --- opportunities and their history

    def _title(self, industry: str) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            title = rng.choice(CROSS_INDUSTRY_TITLES)
        else:
            title = rng.choice(INDUSTRY_TITLES[industry])
        levelled = any(
            w in title
            for w in (
                "Senior",
                "Staff",
                "Lead",
                "Manager",
                "Director",
                "Head",
                "Controller",
                "General",
                "Coordinator",
            )
        )
        if not levelled:
            roll = rng.random()
            if roll < 0.25:
                title = f"Senior {title}"
            elif roll < 0.31:
                title = f"Lead {title}"
            elif roll < 0.38:
                title = f"Junior {title}"
        return title

    def _path(self) -> list[str]:
        rng = self.rng
        final = _weighted(self.rng, FINAL_STATUS_WEIGHTS)
        start = [Status.SAVED, Status.APPLIED] if rng.random() < 0.55 else [Status.APPLIED]
        to_interviewing = [*start, Status.SCREENING, Status.INTERVIEWING]
        if final == Status.SAVED:
            return [Status.SAVED]
        if final == Status.APPLIED:
            return start
        if final == Status.SCREENING:
            return [*start, Status.SCREENING]
        if final == Status.INTERVIEWING:
            return to_interviewing
        if final == Status.OFFER:
            return [*to_interviewing, Status.OFFER]
        if final in (Status.ACCEPTED, Status.DECLINED):
            return [*to_interviewing, Status.OFFER, final]
        if final == Status.REJECTED:
            stage = _weighted(rng, [(Status.APPLIED, 55), (Status.SCREENING, 25),
                                    (Status.INTERVIEWING, 20)])  # fmt: skip
        else:
            stage = _weighted(rng, [(Status.SAVED, 15), (Status.APPLIED, 35),
                                    (Status.SCREENING, 25), (Status.INTERVIEWING, 25)])  # fmt: skip
        if stage == Status.SAVED:
            return [Status.SAVED, final]
        return [*to_interviewing[: to_interviewing.index(stage) + 1], final]

    def _times(self, path: list[str]) -> list[datetime]:
        rng = self.rng
        gaps = [0.0]
        for before, status in zip(path, path[1:], strict=False):
            low, high = (REJECTED_GAP_DAYS.get(before, (3, 20)) if status == Status.REJECTED
                         else GAP_DAYS[status])  # fmt: skip
            gaps.append(rng.uniform(low, high))
        span = sum(gaps)
        room = HISTORY_DAYS - 2
        if span > room:
            gaps = [g * room / span for g in gaps]
            span = room
        if path[-1] in CLOSED or path[-1] == Status.SAVED:
            end_ago = rng.uniform(0.3, HISTORY_DAYS - span)
        else:  # A live process moved recently.
            end_ago = rng.uniform(0.3, min(45.0, HISTORY_DAYS - span))
        at = self.now - timedelta(days=end_ago + span)
        times = []
        for gap in gaps:
            at = at + timedelta(days=gap)
            times.append(at.replace(microsecond=0))
        return times

    def plan_opportunities(self, companies: list[_CompanyPlan]) -> list[_OpportunityPlan]:
        rng = self.rng
        total = OPPORTUNITIES_PER_SCALE * self.scale
        # Every company has at least one opening; a few popular ones have several.
        popularity = [min(rng.paretovariate(1.8), 8.0) for _ in companies]
        chosen = list(companies) + rng.choices(
            companies, weights=popularity, k=total - len(companies)
        )
        plans = []
        for company in chosen:
            path = self._path()
            remote = _weighted(rng, [(Remote.ONSITE, 30), (Remote.HYBRID, 35),
                                     (Remote.REMOTE, 25), (Remote.UNKNOWN, 10)])  # fmt: skip
            city = company.city
            if rng.random() < 0.2:
                city = self._city(company.city.region)
            plans.append(
                _OpportunityPlan(
                    company, self._title(company.industry), city, remote, path, self._times(path)
                )
            )
        plans.sort(key=lambda p: p.times[0])
        for plan in plans:
            if plan.company.created_at is None:
                plan.company.created_at = plan.times[0]
        return plans

    def _salary(self, plan: _OpportunityPlan) -> tuple[int | None, int | None, str]:
        rng = self.rng
        if rng.random() < 0.25:
            return None, None, ""
        title = plan.title
        level = 1.0
        if any(w in title for w in ("Staff", "Principal", "Director", "Head", "General")):
            level = 1.45
        elif any(w in title for w in ("Senior", "Lead", "Manager", "Controller")):
            level = 1.25
        elif any(w in title for w in ("Junior", "Assistant", "Coordinator", "Representative")):
            level = 0.72
        base = INDUSTRY_PAY[plan.company.industry] * level * plan.city.pay * rng.uniform(0.88, 1.12)
        step = 5_000 if base >= 60_000 else 1_000
        low = max(step, round(base * 0.92 / step) * step)
        high = round(low * rng.uniform(1.12, 1.35) / step) * step
        if rng.random() < 0.08:  # Sometimes only a floor is given.
            return low, None, REGION_CURRENCY[plan.city.region]
        return low, max(high, low + step), REGION_CURRENCY[plan.city.region]

    def _posting(self, plan: _OpportunityPlan, salary: tuple[int | None, int | None, str]) -> str:
        rng = self.rng
        company, city = plan.company, plan.city
        family = _family(company.industry)
        industry = company.industry if company.industry == "IT" else company.industry.lower()
        team = rng.choice(family.teams)
        skills = rng.sample(family.skills, 3)
        duties = rng.sample(family.duties, 2)
        where = city.name.split(",")[0]
        intro = rng.choice([
            f"{company.name} is a {rng.choice(COMPANY_ADJECTIVES)} {industry} company based in "
            f"{company.city.name}.",
            f"Founded in {rng.randint(1968, 2021)}, {company.name} serves {family.customers} "
            f"across {REGION_LABEL[company.city.region]}.",
            f"At {company.name} we work in {industry} and care about doing it well.",
        ])  # fmt: skip
        role = rng.choice([
            f"We are hiring a {plan.title} to join our {team} team.",
            f"Our {team} team is looking for a {plan.title}.",
            f"As our new {plan.title}, you will join the {team} team.",
        ])  # fmt: skip
        optional = [
            rng.choice([f"You will {duties[0]} and {duties[1]}.",
                        f"Day to day, you will {duties[0]}."]),
            rng.choice([f"You have {rng.randint(2, 8)}+ years of experience and are comfortable "
                        f"with {skills[0]}, {skills[1]} and {skills[2]}.",
                        f"Experience with {skills[0]} and {skills[1]} is essential; "
                        f"{skills[2]} is a plus."]),
        ]  # fmt: skip
        if plan.remote == Remote.REMOTE:
            optional.append(f"The role is fully remote within {REGION_LABEL[city.region]}.")
        elif plan.remote == Remote.HYBRID:
            optional.append(f"We work from our {where} office {rng.randint(2, 3)} days a week.")
        elif plan.remote == Remote.ONSITE:
            optional.append(f"This role is based on site in {where}.")
        perks = rng.sample(BENEFITS, 3)
        optional.append(f"We offer {perks[0]}, {perks[1]} and {perks[2]}.")
        low, high, currency = salary
        if low is not None and high is not None:
            optional.append(f"The salary range is {currency} {low:,}–{high:,} a year.")
        keep = sorted(rng.sample(range(len(optional)), rng.randint(1, min(4, len(optional)))))
        return " ".join([intro, role, *(optional[i] for i in keep)])

    def _posting_url(self, plan: _OpportunityPlan, source: str) -> str:
        rng = self.rng
        if source == "LinkedIn":
            return f"https://www.linkedin.com/jobs/view/{rng.randint(3_000_000_000, 4_200_000_000)}"
        if source == "Job board":
            return f"https://jobs.example.org/postings/{rng.randint(100_000, 999_999)}"
        if source == "Company site" or rng.random() < 0.5:
            slug = _slug(plan.company.name)
            return f"https://{slug}.example.com/careers/{rng.randint(100, 9999)}"
        return ""

    def opportunity_objects(self, plans: list[_OpportunityPlan]) -> list[Opportunity]:
        rng = self.rng
        objs = []
        for plan in plans:
            salary = self._salary(plan)
            source = _weighted(rng, SOURCES)
            family = _family(plan.company.industry)
            notes = ""
            if rng.random() < 0.55:
                notes = rng.choice(OPPORTUNITY_NOTES).format(
                    skill=rng.choice(family.skills),
                    company=plan.company.name,
                    city=plan.city.name.split(",")[0],
                )
            priority = _weighted(rng, [(Priority.LOW, 25), (Priority.MEDIUM, 50),
                                       (Priority.HIGH, 25)])  # fmt: skip
            plan.obj = Opportunity(
                owner=self.user,
                company=plan.company.obj,
                title=plan.title,
                status=plan.status,
                posting_url=self._posting_url(plan, source),
                posting_text=self._posting(plan, salary),
                source=source,
                location=(
                    REMOTE_LOCATION[plan.city.region]
                    if plan.remote == Remote.REMOTE
                    else plan.city.name
                ),  # fmt: skip
                remote=plan.remote,
                salary_min=salary[0],
                salary_max=salary[1],
                salary_currency=salary[2],
                priority=priority,
                notes=notes,
                created_at=plan.times[0],
                updated_at=plan.times[-1],
            )
            objs.append(plan.obj)
        return objs

    def event_objects(self, plans: list[_OpportunityPlan]) -> list[StatusEvent]:
        return [
            StatusEvent(opportunity=plan.obj, status=status, at=at)
            for plan in plans
            for status, at in zip(plan.path, plan.times, strict=True)
        ]

    # --- interviews

    def _past_window(self, plan: _OpportunityPlan) -> tuple[datetime, datetime] | None:
        start = plan.reached(Status.SCREENING)
        if start is None:
            return None
        end = plan.reached(Status.OFFER) or (plan.times[-1] if plan.status in CLOSED else self.now)
        end = min(end, self.now) - timedelta(hours=2)
        return (start, end) if end - start >= timedelta(hours=12) else None

    def allocate_interviews(self, plans: list[_OpportunityPlan]) -> None:
        """Decide how many past and upcoming interviews each opportunity has."""
        total = INTERVIEWS_PER_SCALE * self.scale
        future_total = total // 3
        depth_weight = {Status.SCREENING: 1.0, Status.INTERVIEWING: 3.5, Status.OFFER: 5.0}
        past, past_w, past_cap = [], [], []
        future, future_w, future_cap = [], [], []
        for plan in plans:
            window = self._past_window(plan)
            if window is not None:
                deepest = max((s for s in plan.path if s in depth_weight),
                              key=list(depth_weight).index)  # fmt: skip
                days = (window[1] - window[0]).total_seconds() / 86400
                past.append(plan)
                past_w.append(depth_weight[deepest] * min(1.0, days / 14))
                past_cap.append({Status.SCREENING: 3, Status.INTERVIEWING: 6}.get(deepest, 7))
            if plan.status in (Status.SCREENING, Status.INTERVIEWING):
                future.append(plan)
                future_w.append(1.5 if plan.status == Status.SCREENING else 2.5)
                future_cap.append(4)
            elif plan.status in (Status.APPLIED, Status.OFFER):
                future.append(plan)
                future_w.append(0.4 if plan.status == Status.APPLIED else 0.3)
                future_cap.append(1)
        if not future:
            future_total = 0
        if not past:
            future_total = total if future else 0
        given = self._spread(future, future_w, future_cap, future_total, "future")
        self._spread(past, past_w, past_cap, total - given, "past")

    def _spread(self, plans, weights, caps, count: int, attr: str) -> int:
        rng = self.rng
        counts = [0] * len(plans)
        weights = list(weights)
        left = count
        while left > 0 and plans:
            if not any(weights):  # Every opportunity is full: let them take more.
                caps = [c * 2 for c in caps]
                weights = [1.0] * len(plans)
            for i in rng.choices(range(len(plans)), weights=weights, k=left):
                if counts[i] < caps[i]:
                    counts[i] += 1
                    left -= 1
                else:
                    weights[i] = 0
        for plan, n in zip(plans, counts, strict=True):
            setattr(plan, attr, n)
        return count - left

    def _slot(self, low: datetime, high: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
        """A weekday, working-hours start time between low and high."""
        rng = self.rng
        for _ in range(12):
            day = (low + (high - low) * rng.random()).astimezone(tz).date()
            if day.weekday() >= 5:
                continue
            local = datetime(day.year, day.month, day.day, rng.choice(LOCAL_HOURS),
                             rng.choice(LOCAL_MINUTES), tzinfo=tz)  # fmt: skip
            start = local.astimezone(UTC)
            if low <= start <= high:
                return start
        at = low + (high - low) * rng.random()
        return at.replace(minute=at.minute // 15 * 15, second=0, microsecond=0)

    def interview_objects(self, plans: list[_OpportunityPlan]) -> list[Interview]:
        now = self.now
        objs: list[Interview] = []
        for plan in plans:
            if not plan.past and not plan.future:
                continue
            tz_name = (plan.company.city if plan.remote == Remote.REMOTE else plan.city).tz
            tz = self._tz(tz_name)
            starts = []
            window = self._past_window(plan)
            if plan.past and window is not None:
                starts += sorted(self._slot(*window, tz) for _ in range(plan.past))
            ahead = (now + timedelta(hours=3), now + timedelta(days=AHEAD_DAYS))
            starts += sorted(self._slot(*ahead, tz) for _ in range(plan.future))
            family = _family(plan.company.industry)
            reached_offer = plan.reached(Status.OFFER) is not None
            for index, starts_at in enumerate(starts):
                kind = self._kind(index, len(starts), plan.status == Status.APPLIED, reached_offer)
                objs.append(self._interview(plan, kind, starts_at, tz_name, family))
        objs.sort(key=lambda i: (i.created_at, i.starts_at))
        return objs

    def _kind(self, index: int, count: int, only_screens: bool, reached_offer: bool) -> str:
        rng = self.rng
        if index == 0 or only_screens:
            return InterviewKind.PHONE_SCREEN if rng.random() < 0.8 else InterviewKind.VIDEO
        if index == count - 1 and count >= 3 and (reached_offer or rng.random() < 0.5):
            return rng.choice([InterviewKind.FINAL, InterviewKind.ONSITE])
        return _weighted(rng, MIDDLE_KINDS)

    def _interview(
        self, plan: _OpportunityPlan, kind: str, starts_at: datetime, tz_name: str, family: Family
    ) -> Interview:
        rng = self.rng
        now = self.now
        duration = rng.choice(DURATIONS[kind])
        ends_at = starts_at + timedelta(minutes=duration)
        opened = plan.times[0]
        values = {"skill": rng.choice(family.skills), "team": rng.choice(family.teams)}
        if starts_at < now:
            status = _weighted(rng, [(InterviewStatus.DONE, 86), (InterviewStatus.CANCELLED, 9),
                                     (InterviewStatus.NO_SHOW, 5)])  # fmt: skip
            created = max(opened, starts_at - timedelta(days=rng.uniform(1, 14)))
            if status == InterviewStatus.CANCELLED:
                updated = created + (starts_at - created) * rng.random()
            else:
                updated = min(now, ends_at + timedelta(hours=rng.uniform(0.5, 30)))
            notes = rng.choice(PAST_NOTES).format(**values) if rng.random() < 0.5 else ""
        else:
            invited = 0.7 if plan.status == Status.APPLIED else 0.25
            status = (InterviewStatus.INVITED if rng.random() < invited
                      else InterviewStatus.SCHEDULED)  # fmt: skip
            created = max(opened, now - timedelta(days=rng.uniform(0.2, 12)))
            updated = created
            notes = rng.choice(FUTURE_NOTES).format(**values) if rng.random() < 0.4 else ""
        in_person = kind == InterviewKind.ONSITE or (
            kind in (InterviewKind.FINAL, InterviewKind.OTHER) and rng.random() < 0.5
        )
        location = video_url = ""
        if in_person:
            location = plan.company.address
        elif kind != InterviewKind.PHONE_SCREEN:
            letters = "abcdefghijkmnopqrstuvwxyz"
            code = "-".join("".join(rng.choice(letters) for _ in range(n)) for n in (3, 4, 3))
            video_url = f"https://meet.example.com/{code}"
        return Interview(
            owner=self.user,
            opportunity=plan.obj,
            kind=kind,
            starts_at=starts_at,
            timezone=tz_name,
            duration_minutes=duration,
            location=location,
            video_url=video_url,
            status=status,
            notes=notes,
            created_at=created.replace(microsecond=0),
            updated_at=updated.replace(microsecond=0),
        )

    # --- contacts

    def contact_objects(
        self, companies: list[_CompanyPlan], opportunities: list[_OpportunityPlan]
    ) -> list[Contact]:
        rng = self.rng
        busy: dict[int, int] = {}
        for plan in opportunities:
            if plan.past or plan.future:
                busy[id(plan.company)] = busy.get(id(plan.company), 0) + plan.past + plan.future
        with_interviews = [c for c in companies if id(c) in busy]
        weights = [busy[id(c)] ** 0.5 for c in with_interviews]
        roles = {id(p.company): p.title for p in opportunities}
        objs = []
        for _ in range(CONTACTS_PER_SCALE * self.scale):
            roll = rng.random()
            if with_interviews and roll < 0.8:
                company = rng.choices(with_interviews, weights=weights)[0]
            elif roll < 0.95:
                company = rng.choice(companies)
            else:
                company = None
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            family = _family(company.industry if company else "Human Resources")
            role = roles.get(id(company), "Software Engineer")
            values = {
                "team": rng.choice(family.teams),
                "role": role.removeprefix("Senior "),
                "company": company.name if company else "a startup",
            }
            handle = _slug(f"{first} {last}")
            domain = f"{_slug(company.name)}.example.com" if company else "mail.example.net"
            region = company.city.region if company else "US"
            phone = ""
            if rng.random() < 0.4:
                if region in ("US", "CA"):
                    area = rng.choice([212, 415, 512, 617, 416, 604])
                    phone = f"+1 {area} 555-01{rng.randint(0, 99):02d}"
                elif region == "UK":
                    phone = f"+44 20 7946 0{rng.randint(0, 999):03d}"
            contact = Contact(
                owner=self.user,
                name=f"{first} {last}",
                email=f"{handle.replace('-', '.')}@{domain}" if rng.random() < 0.75 else "",
                phone=phone,
                linkedin_url=(f"https://www.linkedin.com/in/{handle}-{rng.randint(1000, 9999)}"
                              if rng.random() < 0.6 else ""),  # fmt: skip
                company=company.obj if company else None,
                title=rng.choice(CONTACT_TITLES).format(**values),
                notes=rng.choice(CONTACT_NOTES).format(**values) if rng.random() < 0.6 else "",
                created_at=(
                    min(self.now, (company.created_at or self.now)
                        + timedelta(days=rng.uniform(0, 10)))
                    if company else self.now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
                ).replace(microsecond=0),
            )  # fmt: skip
            if company is not None:
                company.contacts.append(contact)
            objs.append(contact)
        return objs

    def interviewer_links(
        self, interviews: list[Interview], company_of: dict[int, _CompanyPlan]
    ) -> list[object]:
        rng = self.rng
        through = Interview.interviewers.through
        links = []
        for interview in interviews:
            people = company_of[interview.opportunity_id].contacts
            if not people or rng.random() >= 0.6:
                continue
            if interview.kind == InterviewKind.PHONE_SCREEN:
                k = 1
            else:
                k = _weighted(rng, [(1, 55), (2, 30), (3, 15)])
            for person in rng.sample(people, min(k, len(people))):
                links.append(through(interview_id=interview.pk, contact_id=person.pk))
        return links

    # --- writing

    def _insert(self, model, objs: list, description: str | None = None) -> None:
        step = BATCH_SIZE * 2 if description else len(objs) or 1
        for i in range(0, len(objs), step):
            chunk = objs[i : i + step]
            model.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            if description:
                self._report(len(chunk), description)

    def run(self) -> dict[str, int]:
        self._report(0, "Planning demo data")
        companies = self.plan_companies()
        opportunities = self.plan_opportunities(companies)
        self.allocate_interviews(opportunities)
        company_objs = self.company_objects(companies)
        self._insert(Company, company_objs)
        opportunity_objs = self.opportunity_objects(opportunities)
        self._insert(Opportunity, opportunity_objs, "Opportunities")
        events = self.event_objects(opportunities)
        self._insert(StatusEvent, events)
        contacts = self.contact_objects(companies, opportunities)
        self._insert(Contact, contacts)
        interviews = self.interview_objects(opportunities)
        self._insert(Interview, interviews, "Interviews")
        company_of = {p.obj.pk: p.company for p in opportunities}
        links = self.interviewer_links(interviews, company_of)
        Interview.interviewers.through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        # Keep a progress bar sized by demo_total() honest even if fewer interviews fitted.
        self._report(max(0, demo_total(self.scale) - self.reported), "Done")
        return {
            "companies": len(company_objs),
            "opportunities": len(opportunity_objs),
            "interviews": len(interviews),
            "contacts": len(contacts),
            "events": len(events),
        }


def generate_demo(
    user, scale: int = 1, progress: Progress | None = None, seed: int = 1
) -> dict[str, int]:
    """Create demo data for ``user`` and return how many of each thing was made.

    ``scale`` multiplies everything (1 gives about 40 companies, 100 opportunities, 200
    interviews and 60 contacts). ``progress(advance, description)``, when given, is called as
    opportunities and interviews are written; the units add up to ``demo_total(scale)``.
    Running it again for the same user adds more data: company names already in use are
    skipped. Everything is written in one transaction.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a whole number of at least 1, not {scale!r}")
    builder = _Builder(user, scale, random.Random(seed), progress)
    with transaction.atomic():
        return builder.run()
